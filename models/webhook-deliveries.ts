import { desc, eq } from 'drizzle-orm';
import type { WebhookDelivery } from '../src/domain/self-hosted';
import type { Database } from './database';
import { webhookDeliveries } from './schema';

export type NewDelivery = Omit<WebhookDelivery, 'id' | 'at'>;

/** The delivery log: one row per attempt, newest first in the bot's settings. */
export class WebhookDeliveryRepository {
  constructor(private readonly db: Database) {}

  async record(delivery: NewDelivery): Promise<void> {
    await this.db.insert(webhookDeliveries).values(delivery);
  }

  async listForBot(botId: string, limit: number): Promise<WebhookDelivery[]> {
    return this.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.botId, botId))
      .orderBy(desc(webhookDeliveries.id))
      .limit(limit);
  }
}
