import { index, pgTable, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { text } from './columns';
import { bots } from './bots';
import { sessions } from './sessions';

// Bearer tokens for Baton's MCP server (one per session) and REST API (bot tokens). Only hashes are stored.
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    kind: text('kind').$type<'mcp' | 'api'>().notNull(),
    teamId: text('team_id').notNull(),
    botId: text('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').references(() => sessions.id, { onDelete: 'cascade' }),
    scope: text('scope').$type<'basic' | 'full'>().notNull(),
    label: text('label').notNull().default(''),
    hint: text('hint').notNull().default(''),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('access_tokens_hash_idx').on(table.tokenHash),
    index('access_tokens_bot_idx').on(table.botId),
  ],
);
