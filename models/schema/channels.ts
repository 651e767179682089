import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, primaryKey, timestamp } from 'drizzle-orm/pg-core';
import { jsonb, text } from './columns';
import type { RichTextBlock } from '../../src/domain/claude';
import type { McpApproval, RepositoriesMode, StartersMode, GuidanceMode } from '../../src/domain/channel-settings';
import { bots } from './bots';

// Per-channel choices, keyed by the channel id within its organization (`owner_id`: the enterprise id, else the
// team id), so a renamed, archived, shared or moved channel keeps them. `team_id` is the workspace that saved them.
export const channelSettings = pgTable(
  'channel_settings',
  {
    ownerId: text('owner_id').notNull(),
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    defaultBotId: text('default_bot_id').references(() => bots.id, { onDelete: 'set null' }),
    guidance: text('guidance').notNull().default(''),
    monthlyCapCents: integer('monthly_cap_cents'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.ownerId, table.channelId] })],
);

// One bot's section of a channel's settings: guidance, repositories, rules and the per-session budget there.
export const channelBotSettings = pgTable(
  'channel_bot_settings',
  {
    ownerId: text('owner_id').notNull(),
    channelId: text('channel_id').notNull(),
    botId: text('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    guidanceMode: text('guidance_mode').$type<GuidanceMode>().notNull().default('inherit'),
    guidance: jsonb('guidance').$type<RichTextBlock>(),
    repositoriesMode: text('repositories_mode').$type<RepositoriesMode>().notNull().default('inherit'),
    repositories: text('repositories')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    startersMode: text('starters_mode').$type<StartersMode>().notNull().default('anyone'),
    starterUsers: text('starter_users')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    starterGroups: text('starter_groups')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    repliesWithoutMention: boolean('replies_without_mention').notNull().default(true),
    maxToolMode: text('max_tool_mode').$type<'basic' | 'full'>().notNull().default('full'),
    mcpApproval: text('mcp_approval').$type<McpApproval>().notNull().default('bot'),
    sessionBudgetCents: integer('session_budget_cents'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.ownerId, table.channelId, table.botId] })],
);
