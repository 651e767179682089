import type { CutMode } from './sse';
import type { JsonObject, SessionAgent } from './types';

export type RetryStatus = 'retrying' | 'exhausted' | 'terminal';
export type StopReason =
  | { type: 'end_turn' }
  | { type: 'retries_exhausted' }
  | { type: 'budget_reached' }
  | { type: 'refusal' }
  | { type: 'requires_action'; event_ids: string[] };

/** Any persisted event minus `id` / `processed_at`. String values `'$ref:<label>'` become the labelled event's id. */
export type EventDraft = JsonObject & { type: string };

/**
 * One step of a scripted turn. The turn starts with `session.status_running` and, unless a step
 * ends it (`idle`, `terminate`, `fail` with exhausted/terminal), closes any open model-request
 * span and ends with `session.status_idle{end_turn}`.
 */
export type Step =
  | { emit: EventDraft; as?: string }
  | { delayMs: number }
  | { modelRequestStart: true }
  | { modelRequestEnd: true; usage?: Partial<ModelUsage>; isError?: boolean }
  | { thinking: true }
  /** `agent.message`; connections that opted into deltas first get `event_start` + `event_delta` chunks. */
  | { message: string; chunkSize?: number }
  /** Permission comes from the session agent's `mcp_toolset` (default always_ask) unless `permission` forces it. */
  | { mcpToolUse: { name: string; input?: JsonObject; server?: string; as: string; permission?: 'allow' | 'ask' } }
  | { toolUse: { name: string; input?: JsonObject; as: string } }
  | { customToolUse: { name: string; input?: JsonObject; as: string } }
  /** Idles with `requires_action` until every unresolved tool use of the turn is confirmed (or answered). */
  | { awaitConfirmation: string | string[] }
  /** The result of a labelled tool use; a denied call gets an error result carrying the deny message instead. */
  | { toolResult: string; text: string; isError?: boolean }
  | { ifDenied: string; then: Step[]; else?: Step[] }
  /**
   * Checks the session's vaults for a credential whose `mcp_server_url` matches the agent's server
   * (skipped when the agent does not declare it). On a miss, a rejected credential or `force`,
   * emits `session.error{mcp_authentication_failed_error}` handled per `retryStatus` (default exhausted).
   */
  | { mcpAuth: { server?: string; force?: boolean; retryStatus?: RetryStatus } }
  | { fail: string | (JsonObject & { type: string }); retryStatus?: RetryStatus }
  /** `true` means `destroy` (socket dropped, the SDK iterator throws); `end` closes the response cleanly. */
  | { cutStream: true | CutMode }
  | { streamError: { type: string; message: string } }
  | { idle: StopReason }
  /**
   * Adds list cost (cents) and emits `session.usage`. At or past the session's budget the turn idles with
   * `budget_reached` and goes on (`session.status_running`) once `sessions.update` raises the budget above it.
   */
  | { spend: { cents: number } }
  | { terminate: true };

export interface ModelUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface ScenarioContext {
  /** Text of the user.message that started the turn, with any `[scenario:…]` marker removed. */
  userText: string;
  options: Record<string, string>;
  agent: SessionAgent;
}

export type ScenarioDefinition = Step[] | ((ctx: ScenarioContext) => Step[]);
