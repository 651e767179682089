import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { jsonb, text } from './columns';
import type { ClaudeResources, ModelOption, NamedResource, RichTextBlock } from '../../src/domain/claude';
import type { CursorRepositoryOption } from '../../src/domain/cursor';

// Workspace keys for a provider (Anthropic, Cursor). Only the ciphertext and a masked hint are stored.
export const providerKeys = pgTable(
  'provider_keys',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    provider: text('provider').$type<'anthropic' | 'cursor'>().notNull(),
    label: text('label').notNull(),
    ciphertext: text('ciphertext').notNull(),
    hint: text('hint').notNull(),
    validatedAt: timestamp('validated_at', { withTimezone: true }),
    validationError: text('validation_error'),
    // What the key can see, refreshed on validation and on "Refresh Claude resources"; names and ids only.
    models: jsonb('models').$type<ModelOption[]>().notNull().default([]),
    resources: jsonb('resources').$type<ClaudeResources>(),
    // Anthropic's built-in skills this key lists (the Skills picker offers them).
    builtinSkills: jsonb('builtin_skills').$type<NamedResource[]>().notNull().default([]),
    // Cursor keys: the repositories the key's account can work on, refreshed on validation.
    repositories: jsonb('repositories').$type<CursorRepositoryOption[]>().notNull().default([]),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('provider_keys_team_label_idx').on(table.teamId, table.provider, sql`lower(${table.label})`)],
);

export const bots = pgTable(
  'bots',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    name: text('name').notNull(),
    displayName: text('display_name').notNull(),
    icon: text('icon'),
    type: text('type').$type<'claude' | 'cursor' | 'self_hosted'>().notNull(),
    description: text('description').notNull().default(''),
    status: text('status')
      .$type<'not_configured' | 'syncing' | 'ready' | 'failed'>()
      .notNull()
      .default('not_configured'),
    statusDetail: text('status_detail'),
    toolMode: text('tool_mode').$type<'basic' | 'full'>().notNull().default('basic'),
    allowDirectApi: boolean('allow_direct_api').notNull().default(false),
    // One sync of a bot's Claude resources at a time: a request while one runs marks it pending, and the running
    // sync goes round again before it lets go.
    isSyncPending: boolean('is_sync_pending').notNull().default(false),
    syncClaimedUntil: timestamp('sync_claimed_until', { withTimezone: true }),
    // The bot's default spending limit per session, in cents; null inherits the workspace's.
    sessionBudgetCents: integer('session_budget_cents'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('bots_team_name_idx').on(table.teamId, sql`lower(${table.name})`)],
);

// How a Claude bot reaches Managed Agents. In `managed` mode Baton owns agent, environment and vault;
// in `existing` mode they are the admin's, and Baton never edits them.
export const claudeConnections = pgTable('claude_connections', {
  botId: text('bot_id')
    .primaryKey()
    .references(() => bots.id, { onDelete: 'cascade' }),
  keyId: text('key_id').references(() => providerKeys.id, { onDelete: 'set null' }),
  mode: text('mode').$type<'managed' | 'existing'>().notNull(),
  agentId: text('agent_id'),
  environmentId: text('environment_id'),
  vaultIds: text('vault_ids')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  batonVaultId: text('baton_vault_id'),
  model: text('model'),
  instructions: jsonb('instructions').$type<RichTextBlock>(),
  guidance: text('guidance').notNull().default(''),
  // Skills the managed agent uses: `anthropic:<skill id>` or `custom:<Baton skill id>`.
  skills: text('skills')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  syncedAt: timestamp('synced_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// How a Cursor Cloud bot launches agents. The key is a workspace key (provider 'cursor').
export const cursorConnections = pgTable('cursor_connections', {
  botId: text('bot_id')
    .primaryKey()
    .references(() => bots.id, { onDelete: 'cascade' }),
  keyId: text('key_id').references(() => providerKeys.id, { onDelete: 'set null' }),
  repository: text('repository'),
  branch: text('branch'),
  model: text('model'),
  isAutoCreatePr: boolean('is_auto_create_pr').notNull().default(false),
  guidance: text('guidance').notNull().default(''),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// Where a Self-hosted bot's runtime listens, and the secrets Baton signs deliveries with (ciphertext only).
// During a rotation the previous secret signs too, until `previous_expires_at`.
export const selfHostedConnections = pgTable('self_hosted_connections', {
  botId: text('bot_id')
    .primaryKey()
    .references(() => bots.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  secretCiphertext: text('secret_ciphertext').notNull(),
  secretHint: text('secret_hint').notNull(),
  previousSecretCiphertext: text('previous_secret_ciphertext'),
  previousExpiresAt: timestamp('previous_expires_at', { withTimezone: true }),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  disabledReason: text('disabled_reason'),
  guidance: text('guidance').notNull().default(''),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
