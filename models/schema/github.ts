import { bigint, index, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { jsonb, text } from './columns';
import type { ChosenRepository, GitHubConnectionState, GitHubRepository } from '../../src/domain/github';
import { bots } from './bots';
import { sessions } from './sessions';

// A bot's GitHub App installation and the repositories its sessions mount (`chosen`), with what the installation
// can reach (`available`, refreshed on connect and by webhooks). Tokens are never stored here.
export const githubConnections = pgTable(
  'github_connections',
  {
    botId: text('bot_id')
      .primaryKey()
      .references(() => bots.id, { onDelete: 'cascade' }),
    teamId: text('team_id').notNull(),
    installationId: bigint('installation_id', { mode: 'number' }).notNull(),
    account: text('account').notNull(),
    state: text('state').$type<GitHubConnectionState>().notNull().default('active'),
    problem: text('problem'),
    available: jsonb('available').$type<GitHubRepository[]>().notNull().default([]),
    chosen: jsonb('chosen').$type<ChosenRepository[]>().notNull().default([]),
    connectedBy: text('connected_by').notNull(),
    connectedAt: timestamp('connected_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('github_connections_installation_idx').on(table.installationId)],
);

// "Connect GitHub" pressed in a modal: which view to redraw once GitHub sends the admin back.
export const githubConnectViews = pgTable('github_connect_views', {
  nonce: text('nonce').primaryKey(),
  viewId: text('view_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

// The installation token a running session holds (encrypted), so it can be renewed and revoked at the end.
export const githubSessionTokens = pgTable('github_session_tokens', {
  sessionId: text('session_id')
    .primaryKey()
    .references(() => sessions.id, { onDelete: 'cascade' }),
  installationId: bigint('installation_id', { mode: 'number' }).notNull(),
  repositories: text('repositories').array().notNull(),
  tokenCiphertext: text('token_ciphertext').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});
