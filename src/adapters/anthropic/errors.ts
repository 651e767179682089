import Anthropic from '@anthropic-ai/sdk';
import { ClaudeApiError, type ClaudeFailureKind } from '../../ports/claude';

const NOT_ENROLLED = 'organization_not_enrolled_in_beta';

/** True when `error` is an SDK 404, which the sync and existence checks treat as "gone". */
export const isNotFound = (error: unknown): boolean => error instanceof Anthropic.NotFoundError;
export const isConflict = (error: unknown): boolean => error instanceof Anthropic.ConflictError;

function describe(error: unknown): { kind: ClaudeFailureKind; message: string } | undefined {
  if (error instanceof Anthropic.APIConnectionTimeoutError)
    return {
      kind: 'network',
      message: 'Could not reach the Anthropic API (the request timed out). Try again shortly.',
    };
  if (error instanceof Anthropic.APIConnectionError)
    return {
      kind: 'network',
      message: 'Could not reach the Anthropic API (connection failed). Check that Baton can reach it and try again.',
    };
  if (error instanceof Anthropic.AuthenticationError)
    return {
      kind: 'invalid_key',
      message: 'Anthropic rejected this API key (401). Check the key or create a new one in the Anthropic Console.',
    };
  if (
    error instanceof Anthropic.PermissionDeniedError ||
    (error instanceof Anthropic.APIError && error.errorCode === NOT_ENROLLED)
  )
    return {
      kind: 'no_access',
      message:
        `This key works, but has no access to Claude Managed Agents (${error.status}). ` +
        "Ask an admin of your Anthropic organization to enable Managed Agents for the key's workspace, or use another key.",
    };
  if (error instanceof Anthropic.RateLimitError) {
    const retryAfterS = Number(error.headers.get('retry-after'));
    const wait = Number.isFinite(retryAfterS) && retryAfterS > 0 ? `about ${Math.ceil(retryAfterS)} s` : 'a minute';
    return { kind: 'rate_limited', message: `Anthropic is rate-limiting this key (429). Wait ${wait} and try again.` };
  }
  if (error instanceof Anthropic.NotFoundError)
    return { kind: 'not_found', message: `Anthropic could not find that resource (404)${detail(error)}` };
  if (error instanceof Anthropic.APIError) {
    const status = error.status === undefined ? 'no status' : String(error.status);
    return { kind: 'provider', message: `The Anthropic API returned an error (${status})${detail(error)}` };
  }
  return undefined;
}

function detail(error: InstanceType<typeof Anthropic.APIError>): string {
  const text = error.apiMessage ?? '';
  return text ? `: ${text}` : '.';
}

/**
 * Turns an SDK error into a `ClaudeApiError` whose message an admin can act on; the SDK error stays as `cause`
 * for the logs. Anything else (a bug of ours) is returned unchanged rather than disguised as an API failure.
 */
export function toClaudeApiError(error: unknown, apiKey: string): unknown {
  if (error instanceof ClaudeApiError) return error;
  const described = describe(error);
  if (!described) return error;
  // The cause goes to the logs, so it must not carry the key either.
  if (error instanceof Error) {
    error.message = redact(error.message, apiKey);
    if (error.stack) error.stack = redact(error.stack, apiKey);
  }
  return new ClaudeApiError(described.kind, redact(described.message, apiKey), { cause: error });
}

/** Anthropic never echoes keys as far as we know; this makes "never in a message" hold regardless. */
export function redact(text: string, apiKey: string): string {
  return apiKey.length >= 8 ? text.split(apiKey).join('[redacted]') : text;
}

/** Runs one SDK call and maps its failure. */
export async function mapErrors<T>(apiKey: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toClaudeApiError(error, apiKey);
  }
}
