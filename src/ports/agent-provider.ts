import type { ClaudeConnection } from '../domain/claude';

/** A provider event as Baton keeps it: the provider's own id and type, and the raw event as payload. */
export interface ProviderEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

export interface StartSessionRequest {
  /** Baton's session id; used in titles and metadata, never as a secret. */
  sessionId: string;
  teamId: string;
  botId: string;
  botName: string;
  apiKey: string;
  connection: ClaudeConnection;
  /** Baton's MCP server for this session: the URL and the session's bearer token (goes into a vault only). */
  mcp: { url: string; token: string };
  /** Bots with "Allow direct API access": a short-lived Baton API token for the sandbox, and the API's URL. */
  directApi?: { url: string; token: string } | undefined;
  /** Extra MCP server names whose tools may run without asking (the admin marked them trusted). */
  trustedMcpServers?: string[];
}

export interface StartedSession {
  providerSessionId: string;
  /** Provider resources made for this session alone, handed back to `cleanup` when it ends. */
  state: Record<string, string>;
}

/**
 * The seam between sessions and whoever runs the agent (Claude Managed Agents now; Cursor Cloud and
 * Self-hosted later). Handlers and card code never know which provider runs. Every method rejects with a
 * `ProviderError` whose message a Slack user can read.
 */
export interface AgentProvider {
  start(request: StartSessionRequest): Promise<StartedSession>;
  /** Sends one user turn without automatic retries, so it can never arrive twice. */
  sendMessage(apiKey: string, providerSessionId: string, text: string): Promise<void>;
  interrupt(apiKey: string, providerSessionId: string): Promise<void>;
  confirmTool(
    apiKey: string,
    providerSessionId: string,
    toolUseId: string,
    allow: boolean,
    denyMessage?: string,
  ): Promise<void>;
  /**
   * Every event of the session not in `seen`, in order: it opens the live stream first, then lists the history,
   * and drops duplicates by id (a stream replays nothing). Ends after an event that ends the turn
   * (idle not waiting for a confirmation, terminated, deleted), when `signal` aborts, or when the stream
   * breaks (then it throws ProviderError with kind 'stream').
   */
  events(
    apiKey: string,
    providerSessionId: string,
    seen: ReadonlySet<string>,
    signal: AbortSignal,
  ): AsyncIterable<ProviderEvent>;
  /** Removes what `start` created for this session alone. Safe to call twice. */
  cleanup(apiKey: string, state: Record<string, string>): Promise<void>;
}

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
