/** Cursor's error codes Baton explains; any other code reads as a generic provider failure. */
export type CursorErrorCode =
  | 'unauthorized'
  | 'plan_required'
  | 'repository_access'
  | 'integration_not_connected'
  | 'usage_limit_exceeded'
  | 'rate_limit_exceeded'
  | 'agent_busy'
  | 'agent_id_conflict'
  | 'run_not_cancellable'
  | 'stream_expired'
  | 'mcp_not_allowed'
  | 'not_found'
  | 'network'
  | 'unknown';

/** A failed call to Cursor's API with its status and code; `message` is for logs, `explain` for people. */
export class CursorApiError extends Error {
  override readonly name = 'CursorApiError';
  constructor(
    readonly status: number,
    readonly code: CursorErrorCode,
    message: string,
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }
}

const KNOWN = new Set<string>([
  'plan_required',
  'repository_access',
  'integration_not_connected',
  'usage_limit_exceeded',
  'rate_limit_exceeded',
  'agent_busy',
  'agent_id_conflict',
  'run_not_cancellable',
  'stream_expired',
  'mcp_not_allowed',
]);

export function codeOf(status: number, code: string | undefined): CursorErrorCode {
  if (code && KNOWN.has(code)) return code as CursorErrorCode;
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limit_exceeded';
  return 'unknown';
}

/** What a person reads in the thread or the settings modal, with what to do next. */
export function explainCursorError(error: CursorApiError, repository?: string | null): string {
  const repo = repository ? `*${repository}*` : 'the repository';
  switch (error.code) {
    case 'unauthorized':
      return 'Cursor rejected the API key (401). Create a new key in the Cursor dashboard (Integrations › API keys) and add it to the bot.';
    case 'plan_required':
      return "Cursor says this account's plan does not include Cloud Agents. Ask a Cursor admin to upgrade the plan in the Cursor dashboard, then mention the bot again.";
    case 'repository_access':
    case 'integration_not_connected':
      return `Cursor cannot access ${repo}. In the Cursor dashboard, connect GitHub (Integrations) and give it access to ${repo}, then mention the bot again.`;
    case 'usage_limit_exceeded':
      return "The Cursor account has used up its usage limit. Raise the limit or wait for it to reset in the Cursor dashboard's usage settings, then mention the bot again.";
    case 'rate_limit_exceeded': {
      const wait = error.retryAfterS ? `about ${error.retryAfterS} s` : 'a minute';
      return `Cursor is rate-limiting this key (429). Wait ${wait} and mention the bot again.`;
    }
    case 'network':
      return 'Could not reach the Cursor API. Check that Baton can reach it and try again.';
    default:
      return `The Cursor API returned an error (${error.status}): ${error.message}`;
  }
}
