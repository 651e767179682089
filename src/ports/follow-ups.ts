/** A reply someone sent to a running session from its Slack thread. */
export interface FollowUp {
  messageTs: string;
  userId: string;
  text: string;
}

/** Follow-ups stored as they arrive and sent once each, in order (FollowUpRepository implements it). */
export interface FollowUpStore {
  /** False when this Slack message was stored before. */
  add(sessionId: string, followUp: FollowUp): Promise<boolean>;
  pending(sessionId: string): Promise<FollowUp[]>;
  /** True for exactly one caller per follow-up: the one that sends it. */
  claim(sessionId: string, messageTs: string): Promise<boolean>;
  sentCount(sessionId: string): Promise<number>;
}
