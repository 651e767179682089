import { ClaudeApiError } from '../../ports/claude';
import { ProviderError } from '../../ports/agent-provider';
import { redact, toClaudeApiError } from './errors';

function redactAll(text: string, secrets: string[]): string {
  return secrets.reduce((out, secret) => redact(out, secret), text);
}

/** Scrubs `secrets` from an error's message and stack in place (it goes to the logs as a cause). */
export function redactError(error: unknown, secrets: string[]): void {
  if (!(error instanceof Error)) return;
  error.message = redactAll(error.message, secrets);
  if (error.stack) error.stack = redactAll(error.stack, secrets);
}

/**
 * The `ClaudeApiError` mapping, as a `ProviderError` of the same kind. `secrets` (the API key first, then e.g. the
 * session's MCP token) are scrubbed from the message and from the SDK error kept as `cause`. Anything that is not
 * an API failure (a bug of ours) is returned unchanged.
 */
export function toProviderError(error: unknown, secrets: [apiKey: string, ...others: string[]]): unknown {
  if (error instanceof ProviderError) return error;
  redactError(error, secrets);
  const mapped = toClaudeApiError(error, secrets[0]);
  if (!(mapped instanceof ClaudeApiError)) return mapped;
  return new ProviderError(mapped.kind, redactAll(mapped.message, secrets), { cause: mapped.cause });
}

/** Runs one SDK call and maps its failure to a `ProviderError`. */
export async function providerCall<T>(secrets: [string, ...string[]], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProviderError(error, secrets);
  }
}
