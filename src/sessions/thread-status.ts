import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log';

/**
 * Slack's own "is working…" status under the thread, where the workspace supports it; the card is always the
 * fallback, so a refusal (older plans, missing scope) is only logged.
 */
export async function setThreadStatus(
  client: WebClient,
  log: Logger,
  target: { channel: string; threadTs: string },
  status: string,
): Promise<void> {
  try {
    await client.assistant.threads.setStatus({ channel_id: target.channel, thread_ts: target.threadTs, status });
  } catch (error) {
    log.debug({ event: 'slack.thread_status.unavailable', err: error });
  }
}
