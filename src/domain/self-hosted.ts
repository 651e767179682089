/** A Self-hosted bot's runtime as admins see it: never a secret, only a hint of the signing secret. */
export interface SelfHostedConnection {
  botId: string;
  url: string;
  secretHint: string;
  /** A rotation is under way: the previous secret still signs until then. */
  previousExpiresAt: Date | null;
  /** The runtime answered 410 Gone: Baton stopped sending until an admin saves the connection again. */
  disabledAt: Date | null;
  disabledReason: string | null;
  guidance: string;
}

export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'gone' | 'skipped';

/** One attempt to deliver a webhook, for the delivery log in the bot's settings. */
export interface WebhookDelivery {
  id: number;
  botId: string;
  sessionId: string | null;
  webhookId: string;
  event: string;
  attempt: number;
  status: number | null;
  outcome: DeliveryOutcome;
  durationMs: number;
  detail: string | null;
  at: Date;
}

/** Loopback hosts may use plain http (a runtime on the same machine); everything else needs https. */
export function checkRuntimeUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL, e.g. https://runtime.example.com/baton/webhooks.';
  }
  const isLoopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback) return undefined;
  if (url.protocol === 'http:') return 'Use https: plain http is allowed only for localhost or 127.0.0.1.';
  return 'Use an https:// URL.';
}
