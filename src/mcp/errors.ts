import { slackErrorCode } from '../adapters/slack/errors';

export type ToolErrorCode = 'invalid_request' | 'forbidden' | 'not_found' | 'rate_limited' | 'slack_error';

/** A failure the calling agent (or API client) can act on; its message is shown to it as written. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    readonly code: ToolErrorCode,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

const NOT_VISIBLE = new Set(['channel_not_found', 'not_in_channel', 'thread_not_found', 'message_not_found']);
const REFUSED = new Set(['is_archived', 'restricted_action', 'cant_update_message', 'not_allowed_token_type']);

/** Turns a Slack Web API error into a ToolError naming Slack's code; anything else is rethrown as is. */
export function toolErrorFromSlack(error: unknown): never {
  const code = slackErrorCode(error);
  if (code === undefined) throw error;
  if (NOT_VISIBLE.has(code))
    throw new ToolError('not_found', `Slack says ${code}: Baton can only see channels and threads it is a member of.`);
  if (code === 'user_not_found') throw new ToolError('not_found', 'Slack has no user with that id.');
  if (REFUSED.has(code)) throw new ToolError('forbidden', `Slack refused the request (${code}).`);
  throw new ToolError('slack_error', `Slack returned an error (${code}).`);
}

/** Runs a Slack call, turning its platform errors into ToolErrors. */
export const slackCall = <T>(call: Promise<T>): Promise<T> => call.catch(toolErrorFromSlack);
