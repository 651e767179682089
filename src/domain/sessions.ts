import type { BatonEvent } from './events';

/** `paused`: the session reached its spending limit and waits for someone to raise it. */
export type SessionStatus =
  'queued' | 'starting' | 'running' | 'awaiting_input' | 'paused' | 'done' | 'failed' | 'stopped';
export type SessionTrigger = 'mention' | 'assignment' | 'dm';
/** What the agent reports about its work through Baton's `update_status` tool. */
export type AgentStatus = 'in_progress' | 'blocked' | 'needs_review' | 'done';

export const isFinished = (status: SessionStatus): status is 'done' | 'failed' | 'stopped' =>
  status === 'done' || status === 'failed' || status === 'stopped';

/**
 * The message that opened a session's thread, as Slack's event carried it (the words as written, the files by
 * name): a thread that begins with the request holds nothing else to read, so the session's first message is
 * written from this instead of `conversations.replies`, whose small budget 20 sessions starting together would queue on.
 */
export interface OpeningMessage {
  text: string;
  files: string[];
}

export interface Session {
  id: string;
  teamId: string;
  enterpriseId: string | null;
  botId: string;
  channelId: string;
  threadTs: string;
  status: SessionStatus;
  trigger: SessionTrigger;
  triggerTs: string;
  requesterId: string;
  task: string;
  /** Set when the trigger opened the thread (see `OpeningMessage`); null when the thread is read. */
  openingMessage: OpeningMessage | null;
  statusReason: string | null;
  agentStatus: AgentStatus | null;
  agentStatusReason: string | null;
  provider: string;
  providerSessionId: string | null;
  providerState: Record<string, string>;
  cardTs: string | null;
  lastEventSeq: number;
  /** Stored events up to this seq have been acted on; a resumed run replays the ones after it. */
  handledSeq: number;
  /** Follow-up turns sent to the provider, and follow-up turns that have ended. */
  followUpsAsked: number;
  followUpsAnswered: number;
  usage: Record<string, number>;
  isStopRequested: boolean;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
  /** Set when another session's token started this one. */
  parentSessionId: string | null;
  /** Channels besides its own that the session's tools read. */
  readChannels: string[];
}

/** One Baton event as stored: ordered by `seq`, unique by the provider's id, with the provider's raw payload. */
export type StoredEvent = BatonEvent & { seq: number; at: Date };
