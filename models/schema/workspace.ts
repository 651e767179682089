import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, primaryKey, timestamp } from 'drizzle-orm/pg-core';
import { jsonb, text } from './columns';

// One row per Slack install. `install_key` is the enterprise id for org-wide installs, else the team id
// (the rule Bolt's InstallationQuery implies). Tokens are stored only as ciphertext from src/crypto/secrets.
export const slackInstallations = pgTable('slack_installations', {
  installKey: text('install_key').primaryKey(),
  teamId: text('team_id'),
  teamName: text('team_name'),
  enterpriseId: text('enterprise_id'),
  enterpriseName: text('enterprise_name'),
  enterpriseUrl: text('enterprise_url'),
  isEnterpriseInstall: boolean('is_enterprise_install').notNull().default(false),
  appId: text('app_id'),
  botUserId: text('bot_user_id').notNull(),
  botId: text('bot_id').notNull(),
  botScopes: text('bot_scopes')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  botTokenCiphertext: text('bot_token_ciphertext').notNull(),
  botRefreshTokenCiphertext: text('bot_refresh_token_ciphertext'),
  botTokenExpiresAt: timestamp('bot_token_expires_at', { withTimezone: true }),
  installerUserId: text('installer_user_id').notNull(),
  // The rest of Bolt's Installation that Baton keeps (user scopes, install metadata); never a token.
  metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
  installedAt: timestamp('installed_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// Slack redelivers events it thinks we missed; a row here means "already handled" until it expires.
export const processedEvents = pgTable(
  'processed_events',
  {
    eventId: text('event_id').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('processed_events_expires_at_idx').on(table.expiresAt)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    teamId: text('team_id').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    target: text('target').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('audit_log_team_created_idx').on(table.teamId, table.createdAt.desc())],
);

// Users Baton treats as admins besides the workspace's own admins and owners.
export const workspaceAdmins = pgTable(
  'workspace_admins',
  {
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.userId] })],
);

// Workspace-wide defaults admins set (today: the spending limit per session).
export const workspaceSettings = pgTable('workspace_settings', {
  teamId: text('team_id').primaryKey(),
  sessionBudgetCents: integer('session_budget_cents'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
