import type { SessionRepository } from '../../models/sessions';
import type { BotStores } from '../bots/deps';
import type { Logger } from '../log';
import type { AgentProviders } from '../ports/agent-provider';
import type { JobQueue } from '../ports/job-queue';
import type { SlackClients } from '../ports/slack-clients';
import type { SessionChat } from '../ports/session-chat';
import type { Session } from '../domain/sessions';
import type { Bot } from '../domain/bots';

/** Per-session MCP credentials: issued at start, dead the moment the session ends. */
export interface McpTokenIssuer {
  issue(session: Session, bot: Bot): Promise<string>;
  /** A Baton API token that lives as long as the session, for bots allowed direct API access; else none. */
  issueDirectApi(session: Session, bot: Bot): Promise<string | undefined>;
  revokeForSession(sessionId: string): Promise<void>;
}

export interface SessionDeps {
  sessions: SessionRepository;
  stores: BotStores;
  /** Who runs each bot type; the run loop opens the bot's connection and never asks which one it is. */
  providers: AgentProviders;
  writer: SessionChat;
  slack: SlackClients;
  mcpTokens: McpTokenIssuer;
  /**
   * The first user turn of a session (`task`: admins' guidance as trusted instructions, then the thread inside the
   * untrusted wrapper) and the guidance alone, for providers that take it separately.
   */
  taskMessage(session: Session, bot: Bot): Promise<{ task: string; guidance: string }>;
  mcpUrl: string;
  apiUrl: string;
  /** For follow-up jobs, such as denying a tool call nobody answered within `confirmTimeoutMs`. */
  queue: JobQueue;
  confirmTimeoutMs: number;
  /** Sessions one workspace may run at once; a session that would go past it ends before it starts. */
  maxActiveSessions: number;
  log: Logger;
}
