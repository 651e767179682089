/**
 * Baton's own event vocabulary. Every provider adapter (Claude Managed Agents, Cursor Cloud, Self-hosted)
 * translates its stream into these kinds; the reducer, card, log, session page and run loop only ever see
 * these, never a provider's event names. Each event keeps the provider's raw payload for the log.
 */
export const BATON_EVENT_KINDS = [
  'turn_started',
  'step_started',
  'step_finished',
  'message',
  'approval_needed',
  'approval_answered',
  'turn_ended',
  'usage',
  'artifact',
  'error',
  'terminated',
] as const;
export type BatonEventKind = (typeof BATON_EVENT_KINDS)[number];

/** How a turn ended: the agent finished, was interrupted, or ran out of something. */
export type TurnEndReason = 'end_turn' | 'interrupted' | 'budget' | 'max_tokens' | 'error';

/** What went wrong, in a form the run loop and the card can act on without knowing the provider. */
export type EventErrorKind =
  'mcp_auth' | 'mcp_connect' | 'repository' | 'rate_limited' | 'usage_limit' | 'plan_required' | 'budget' | 'provider';

interface EventBase {
  /** The provider's id for this event, unique within the session; it deduplicates replays. */
  id: string;
  /** The provider's event, kept as received for the log (never shown to people as is). */
  raw: Record<string, unknown>;
}

export type BatonEvent = EventBase &
  (
    | { kind: 'turn_started'; text: string | null }
    | {
        kind: 'step_started';
        stepId: string;
        /** A name for people: "Read file", "slack.post_comment", "Run command". */
        name: string;
        /** A short summary of the input (a command, a path, a query). */
        summary: string;
        /** The MCP server the tool belongs to, when it is one. */
        server: string | null;
        needsApproval: boolean;
      }
    | { kind: 'step_finished'; stepId: string; isError: boolean; summary: string }
    | { kind: 'message'; text: string }
    | { kind: 'approval_needed'; stepIds: string[] }
    | { kind: 'approval_answered'; stepId: string; isAllowed: boolean }
    | { kind: 'turn_ended'; reason: TurnEndReason; answer: string | null }
    | { kind: 'usage'; inputTokens: number; outputTokens: number; costUsd: number | null }
    | { kind: 'artifact'; type: 'pull_request' | 'branch'; name: string; url: string | null }
    | { kind: 'error'; errorKind: EventErrorKind; message: string; server: string | null; repository: string | null }
    | { kind: 'terminated' }
  );

export type BatonEventOf<K extends BatonEventKind> = Extract<BatonEvent, { kind: K }>;
