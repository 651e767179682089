import { bigint, index, integer, pgTable, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { jsonb, text } from './columns';
import { bots } from './bots';
import { sessions } from './sessions';

// Every attempt to deliver a webhook to a runtime: what admins see in the bot's settings.
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    botId: text('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    sessionId: text('session_id'),
    webhookId: text('webhook_id').notNull(),
    event: text('event').notNull(),
    attempt: integer('attempt').notNull(),
    status: integer('status'),
    outcome: text('outcome').$type<'delivered' | 'retrying' | 'failed' | 'gone' | 'skipped'>().notNull(),
    durationMs: integer('duration_ms').notNull(),
    detail: text('detail'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('webhook_deliveries_bot_idx').on(table.botId, table.at.desc())],
);

// What a runtime reported over the callback API, as Baton events, once per idempotency key. The self-hosted
// adapter's event stream tails this inbox.
export const runtimeEvents = pgTable(
  'runtime_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    eventKey: text('event_key').notNull(),
    events: jsonb('events').$type<Record<string, unknown>[]>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('runtime_events_key_idx').on(table.sessionId, table.eventKey)],
);
