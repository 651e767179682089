import { webhookHeaders } from './signing';

export interface WebhookAttempt {
  /** The runtime's HTTP status; null when it could not be reached. */
  status: number | null;
  durationMs: number;
  /** The start of the runtime's answer, or why it could not be reached. */
  detail: string;
}

const DETAIL_MAX = 300;

/**
 * POSTs one Standard Webhooks delivery: `{ type, timestamp, data }`, signed with every given secret. Redirects are
 * not followed (the spec says a 3xx is a failure), and the attempt ends after `timeoutMs`.
 */
export async function postWebhook(input: {
  url: string;
  secrets: string[];
  webhookId: string;
  event: string;
  data: Record<string, unknown>;
  timeoutMs: number;
  now?: () => Date;
}): Promise<WebhookAttempt> {
  const now = (input.now ?? (() => new Date()))();
  const body = JSON.stringify({ type: input.event, timestamp: now.toISOString(), data: input.data });
  const started = performance.now();
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(input.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Baton-Webhooks/1',
        ...webhookHeaders(input.secrets, input.webhookId, Math.floor(now.getTime() / 1000), body),
      },
      body,
    });
    const text = await response.text().catch(() => '');
    return {
      status: response.status,
      durationMs: Math.round(performance.now() - started),
      detail: text.slice(0, DETAIL_MAX),
    };
  } catch (error) {
    const cause =
      (error as Error).name === 'TimeoutError' ? `no answer within ${input.timeoutMs} ms` : (error as Error).message;
    return {
      status: null,
      durationMs: Math.round(performance.now() - started),
      detail: `Could not reach the runtime: ${cause}`,
    };
  }
}
