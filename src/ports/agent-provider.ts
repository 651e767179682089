import type { Bot, BotType } from '../domain/bots';
import type { BatonEvent } from '../domain/events';
import type { Session } from '../domain/sessions';
import type { SessionConfig } from '../sessions/resolve-config';

export interface StartRequest {
  /** Baton's session: id, team, channel, thread, requester, task. Its id marks what the provider creates. */
  session: Session;
  bot: Bot;
  /** The first user turn, built by Baton: trusted guidance outside, the untrusted thread inside its wrapper. */
  task: string;
  /** Trusted instructions from admins (bot + channel guidance), for providers that take them separately. */
  guidance: string;
  /**
   * What the session runs with, resolved once for it: repositories to mount, tool mode, MCP approval, the spending
   * limit (`budgetCents`; providers that can enforce one set it at creation).
   */
  config: SessionConfig;
  /** Baton's MCP server for this session: URL and the session's bearer token (never in a prompt). */
  mcp: { url: string; token: string };
  /** Bots with "Allow direct API access": a short-lived Baton API token for the sandbox, and the API's URL. */
  directApi?: { url: string; token: string } | undefined;
  /** The bot's GitHub repositories for this session, when it has any and the provider mounts them. */
  github?: SessionGitHub | undefined;
  /** An earlier attempt may have created the provider session (Baton recorded the intent, then lost track). */
  isRetry: boolean;
}

/** GitHub for one session: what to mount, and one token narrowed to exactly those repositories. */
export interface SessionGitHub {
  repositories: Array<{ fullName: string; url: string; branch: string | null }>;
  /** A short-lived installation token (a secret: never in a prompt, a log line, a job or Slack). */
  token: string;
  /** GitHub's MCP server, declared on the session's agent and given the same token in the session's vault. */
  mcpUrl: string;
}

export type SessionGitHubToken = Pick<SessionGitHub, 'token' | 'mcpUrl'>;

export interface StartedSession {
  providerSessionId: string;
  /**
   * Provider resources made for this session alone (handed back to `cleanup`), plus adapter bookkeeping. The key
   * `uses` is shown on the card: what the session runs on, by name ("Agent: Reviewer · Environment: prod").
   */
  state: Record<string, string>;
}

/** Where `events` picks up: after the last stored event, skipping every stored id. */
export interface EventCursor {
  lastEventId: string | null;
  seen: ReadonlySet<string>;
}

/** One bot's connection with its credentials loaded; every method rejects with `ProviderError`. */
export interface ProviderConnection {
  /**
   * Creates the provider session and sends the task, or finds what an earlier attempt created (by Baton's session
   * id) and sends the task only if it never arrived. Safe to call again after a crash at any point.
   */
  start(request: StartRequest): Promise<StartedSession>;
  /** A follow-up user turn, sent without automatic retries (never twice). */
  send(providerSessionId: string, text: string): Promise<void>;
  interrupt(providerSessionId: string): Promise<void>;
  confirmTool(providerSessionId: string, stepId: string, isAllowed: boolean, denyMessage?: string): Promise<void>;
  /**
   * Baton events after `from`, in order, deduplicated. Ends after `turn_ended` / `terminated`, when `signal`
   * aborts, or throws `ProviderError('stream')` when the stream breaks.
   */
  events(providerSessionId: string, from: EventCursor, signal: AbortSignal): AsyncIterable<BatonEvent>;
  /**
   * Sets the session's spending limit (cents), e.g. after someone pressed Continue. Absent when the provider
   * cannot enforce one; Baton then only records the new limit.
   */
  setBudget?(providerSessionId: string, limitCents: number): Promise<void>;
  /**
   * Puts a renewed GitHub token into the running session (its repositories and its GitHub MCP credential). Present
   * only on providers that mount GitHub repositories with Baton's tokens.
   */
  renewGitHubToken?(
    providerSessionId: string,
    state: Record<string, string>,
    github: SessionGitHubToken,
  ): Promise<void>;
  /** Removes what `start` created for this session alone (interrupting it first if still running). Safe twice. */
  cleanup(providerSessionId: string | null, state: Record<string, string>): Promise<void>;
}

/**
 * Whoever runs the agent for one bot type (Claude Managed Agents, Cursor Cloud, Self-hosted). The run loop, control,
 * card and log never know which one runs: they open the bot's connection and speak Baton events.
 */
export interface AgentProvider {
  readonly type: BotType;
  /** The bot's connection with its secrets, or a sentence an admin can act on when the bot is not ready. */
  open(teamId: string, bot: Bot): Promise<ProviderConnection | { problem: string }>;
}

export type AgentProviders = Partial<Record<BotType, AgentProvider>>;

export const isProblem = (opened: ProviderConnection | { problem: string }): opened is { problem: string } =>
  'problem' in opened;

export type ProviderErrorKind =
  'invalid_key' | 'no_access' | 'rate_limited' | 'network' | 'not_found' | 'stream' | 'provider';

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
