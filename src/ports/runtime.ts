import type { BatonEvent } from '../domain/events';

/** Events of a self-hosted session: what its runtime reported over the callback API, and what Baton added. */
export interface RuntimeInbox {
  /** Adds the events under `key` once; false when the key was already used (nothing is added). */
  append(sessionId: string, key: string, events: BatonEvent[]): Promise<boolean>;
  list(sessionId: string): Promise<BatonEvent[]>;
}

/** A webhook to a bot's runtime, delivered by a job with retries; `webhookId` is the same on every attempt. */
export interface RuntimeDelivery {
  teamId: string;
  botId: string;
  sessionId: string | null;
  event: string;
  webhookId: string;
  data: Record<string, unknown>;
}

export interface WebhookOutbox {
  /** Queues the delivery; queuing the same `webhookId` again is a no-op. */
  send(delivery: RuntimeDelivery): Promise<void>;
}
