import type { FollowUp, FollowUpStore } from '../ports/follow-ups';
import { untrusted } from './thread-messages';

/** A follow-up as the agent reads it: who wrote it, inside the same untrusted wrapper as the thread. */
export const followUpText = (followUp: FollowUp): string =>
  `A new reply in the Slack thread, from <@${followUp.userId}>:\n\n${untrusted(followUp.text)}`;

/**
 * Sends a session's stored follow-ups, oldest first, once the task has reached the provider. Each is claimed
 * before it is sent, so the run job and a control job racing here never send one twice. Returns how many this
 * call sent.
 */
export async function sendPendingFollowUps(
  store: FollowUpStore,
  sessionId: string,
  send: (text: string) => Promise<void>,
): Promise<number> {
  let sent = 0;
  for (const followUp of await store.pending(sessionId)) {
    if (!(await store.claim(sessionId, followUp.messageTs))) continue;
    await send(followUpText(followUp));
    sent++;
  }
  return sent;
}
