import type { SessionRepository } from '../../models/sessions';
import type { BotStores } from '../bots/deps';
import type { Logger } from '../log';
import type { AgentProvider } from '../ports/agent-provider';
import type { FollowUpStore } from '../ports/follow-ups';
import type { JobQueue } from '../ports/job-queue';
import type { SlackClients } from '../ports/slack-clients';
import type { ThreadWriter } from '../ports/thread-writer';
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
  /** Replies sent to the session from its thread, kept until the provider session can take them. */
  followUps: FollowUpStore;
  stores: BotStores;
  provider: AgentProvider;
  writer: ThreadWriter;
  slack: SlackClients;
  mcpTokens: McpTokenIssuer;
  /** The first message of a session: the thread as task context, marked untrusted, plus guidance. */
  taskMessage(session: Session, bot: Bot): Promise<string>;
  mcpUrl: string;
  apiUrl: string;
  /** For follow-up jobs, such as denying a tool call nobody answered within `confirmTimeoutMs`. */
  queue: JobQueue;
  confirmTimeoutMs: number;
  log: Logger;
}
