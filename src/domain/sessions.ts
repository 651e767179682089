export type SessionStatus = 'queued' | 'starting' | 'running' | 'awaiting_input' | 'done' | 'failed' | 'stopped';
export type SessionTrigger = 'mention' | 'assignment' | 'dm';
/** What the agent reports about its work through Baton's `update_status` tool. */
export type AgentStatus = 'in_progress' | 'blocked' | 'needs_review' | 'done';

export const isFinished = (status: SessionStatus): boolean =>
  status === 'done' || status === 'failed' || status === 'stopped';

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
  statusReason: string | null;
  agentStatus: AgentStatus | null;
  agentStatusReason: string | null;
  provider: string;
  providerSessionId: string | null;
  providerState: Record<string, string>;
  cardTs: string | null;
  lastEventSeq: number;
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

/** One provider event as Baton stores it: ordered by `seq`, unique by the provider's id. */
export interface StoredEvent {
  seq: number;
  providerEventId: string;
  type: string;
  payload: Record<string, unknown>;
  at: Date;
}
