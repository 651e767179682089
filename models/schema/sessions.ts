import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { jsonb, text } from './columns';
import type { OpeningMessage } from '../../src/domain/sessions';
import { bots } from './bots';

// One agent run started from a Slack thread: its trigger, its card in the thread, and where its provider is.
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    enterpriseId: text('enterprise_id'),
    botId: text('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    channelId: text('channel_id').notNull(),
    threadTs: text('thread_ts').notNull(),
    status: text('status').notNull(),
    trigger: text('trigger').$type<'mention' | 'assignment' | 'dm'>().notNull().default('mention'),
    triggerTs: text('trigger_ts').notNull().default(''),
    requesterId: text('requester_id').notNull().default(''),
    task: text('task').notNull().default(''),
    // The thread's first message when the trigger opened the thread: the session's first message needs no read.
    openingMessage: jsonb('opening_message').$type<OpeningMessage>(),
    statusReason: text('status_reason'),
    // What the agent itself reported through Baton's update_status tool.
    agentStatus: text('agent_status'),
    agentStatusReason: text('agent_status_reason'),
    provider: text('provider').notNull().default('claude'),
    providerSessionId: text('provider_session_id'),
    // Provider-side resources the session created and must clean up (e.g. its own vault).
    providerState: jsonb('provider_state').$type<Record<string, string>>().notNull().default({}),
    cardTs: text('card_ts'),
    lastEventSeq: integer('last_event_seq').notNull().default(0),
    // Events up to this seq were acted on (answers, approval prompts, status); a resumed run replays the rest.
    handledSeq: integer('handled_seq').notNull().default(0),
    // Follow-up turns sent to the provider, and those whose turn has ended; two jobs touch them, so `+ 1` in SQL.
    followUpsAsked: integer('follow_ups_asked').notNull().default(0),
    followUpsAnswered: integer('follow_ups_answered').notNull().default(0),
    usage: jsonb('usage').$type<Record<string, number>>().notNull().default({}),
    isStopRequested: boolean('is_stop_requested').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    // The session whose token started this one (start_session); a started session may start no further ones.
    parentSessionId: text('parent_session_id'),
    // Channels other than its own that the session's tools read: its log opens only for people who may read them.
    readChannels: text('read_channels')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
  },
  (table) => [
    index('sessions_bot_idx').on(table.botId),
    index('sessions_team_status_idx').on(table.teamId, table.status),
    index('sessions_thread_idx').on(table.teamId, table.channelId, table.threadTs),
  ],
);

// Every event a session received in Baton's vocabulary, once (unique provider id), in order. The card and the log
// are projections of these rows, so a replacement worker can rebuild them.
export const sessionEvents = pgTable(
  'session_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    providerEventId: text('provider_event_id').notNull(),
    // The provider's own event type (for the log); `kind` and `data` are Baton's event, `payload` the raw one.
    type: text('type').notNull(),
    kind: text('kind').notNull().default(''),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('session_events_provider_idx').on(table.sessionId, table.providerEventId),
    uniqueIndex('session_events_seq_idx').on(table.sessionId, table.seq),
  ],
);

// Follow-ups people sent to a session, kept until the provider session exists and they are sent (once each).
export const sessionFollowUps = pgTable(
  'session_follow_ups',
  {
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    // The Slack message it came from (or another key unique in the session), so a retried delivery adds nothing.
    key: text('key').notNull(),
    userId: text('user_id').notNull(),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.key] })],
);

// Thread messages a session posted, keyed so a resumed run never posts the same thing twice.
export const threadPosts = pgTable(
  'thread_posts',
  {
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    postKey: text('post_key').notNull(),
    ts: text('ts'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.postKey] })],
);

// What a session may spend and has spent, beside the session row: its limit (raised by Continue), the cost the
// provider reported (null when it reports none) and the configuration it was resolved with.
export const sessionSpend = pgTable(
  'session_spend',
  {
    sessionId: text('session_id')
      .primaryKey()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    botId: text('bot_id').notNull(),
    limitCents: integer('limit_cents'),
    costUsd: doublePrecision('cost_usd'),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull().default(0),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull().default(0),
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('session_spend_team_created_idx').on(table.teamId, table.createdAt)],
);

// The Slack trigger (event, view or button press) that created a session: a retried trigger finds its session
// instead of starting a second one.
export const sessionTriggers = pgTable('session_triggers', {
  triggerKey: text('trigger_key').primaryKey(),
  sessionId: text('session_id')
    .notNull()
    .references(() => sessions.id, { onDelete: 'cascade' }),
  // The Slack request's trace id, so a resumed run logs under it too.
  traceId: text('trace_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
