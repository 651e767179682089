import { ErrorCode } from '@slack/bolt';
// Bolt's index does not re-export the extended handler's argument type.
import type { ExtendedErrorHandlerArgs } from '@slack/bolt/dist/App';
import { newTraceId } from '../src/trace';
import type { HandlerDeps } from './deps';

interface WithResponseUrl {
  response_url?: string;
  response_urls?: Array<{ response_url: string }>;
}

/**
 * The one place a handler's unexpected failure ends: logged with a reference, and where Slack gave us a
 * response_url the person sees "Something went wrong (ref …)" rather than silence. Raw errors never reach Slack.
 */
export const onHandlerError =
  ({ log }: Pick<HandlerDeps, 'log'>) =>
  async ({ error, body }: ExtendedErrorHandlerArgs): Promise<void> => {
    // Requests from workspaces we cannot authorize keep Bolt's answer (401).
    if (error.code === ErrorCode.AuthorizationError) throw error;
    const ref = newTraceId();
    log.error({ event: 'slack.handler.failed', ref, err: 'original' in error ? error.original : error });
    const { response_url: url = (body as WithResponseUrl).response_urls?.[0]?.response_url } = body as WithResponseUrl;
    if (!url) return;
    const text = `Something went wrong (ref \`${ref}\`). Please try again, or give an admin this reference.`;
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    }).catch(() => undefined);
  };
