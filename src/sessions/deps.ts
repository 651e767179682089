import type { SessionRepository } from '../../models/sessions';
import type { BotStores } from '../bots/deps';
import type { Logger } from '../log';
import type { AgentProviders } from '../ports/agent-provider';
import type { JobQueue } from '../ports/job-queue';
import type { SlackClients } from '../ports/slack-clients';
import type { ConfigSources, SpendStore } from '../ports/settings';
import type { SessionChat } from '../ports/session-chat';
import type { Session } from '../domain/sessions';
import type { Bot } from '../domain/bots';
import type { GitHubSessionTokens } from '../github/session-tokens';
import type { Foreground } from '../ops/foreground';

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
   * The first user turn of a session: the resolved `guidance` (admins' instructions, trusted, outside the wrapper),
   * then the thread inside the untrusted wrapper.
   */
  taskMessage(session: Session, bot: Bot, guidance: string): Promise<string>;
  mcpUrl: string;
  apiUrl: string;
  /** For follow-up jobs, such as denying a tool call nobody answered within `confirmTimeoutMs`. */
  queue: JobQueue;
  confirmTimeoutMs: number;
  /** What the session resolver reads: bot defaults, channel settings, workspace defaults. */
  settings: ConfigSources;
  /** Each session's limit, spend and the configuration it started with. */
  spend: SpendStore;
  /** Sessions' GitHub tokens (mint, renew, revoke); unset when Baton's GitHub App is not configured. */
  github?: GitHubSessionTokens | undefined;
  /** How often a running session checks whether its GitHub token is due for renewal. */
  githubTokenCheckMs: number;
  /** Today, for the monthly cap and GitHub token renewal (tests step it). */
  now: () => Date;
  /** Waits between asks of an idle provider and before reopening a broken stream (tests step it). */
  sleep: (ms: number) => Promise<void>;
  /** Aborted when this process stops: a session waiting on its provider hands its job back (SessionHandedBack). */
  stopping: AbortSignal;
  /** Sessions one workspace may run at once; a session that would go past it ends before it starts. */
  maxActiveSessions: number;
  /** This process's foreground work (triggers, first cards), ahead of event storage. */
  foreground: Foreground;
  log: Logger;
}
