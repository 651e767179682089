import { sql } from 'drizzle-orm';
import { boolean, pgTable, primaryKey, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { jsonb, text } from './columns';
import type { McpAuthMode, McpServerState } from '../../src/domain/mcp-servers';
import { providerKeys, bots } from './bots';

// Workspace skills admins write in Slack (`/baton skills`); the SKILL.md is built from these fields.
export const skills = pgTable(
  'skills',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    skillId: text('skill_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    instructions: text('instructions').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('skills_team_skill_idx').on(table.teamId, table.skillId)],
);

// Where a workspace skill lives in each Anthropic account (one account per saved key) and at which version.
export const skillUploads = pgTable(
  'skill_uploads',
  {
    skillId: text('skill_id')
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    keyId: text('key_id')
      .notNull()
      .references(() => providerKeys.id, { onDelete: 'cascade' }),
    anthropicSkillId: text('anthropic_skill_id').notNull(),
    version: text('version').notNull(),
    contentHash: text('content_hash').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.skillId, table.keyId] })],
);

// A managed bot's own MCP servers. Tokens live only in the bot's Claude vault; `pending_secret_ciphertext` holds a
// pasted token, encrypted, until the sync job has written it there, then it is cleared.
export const mcpServers = pgTable(
  'mcp_servers',
  {
    id: text('id').primaryKey(),
    botId: text('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    url: text('url').notNull(),
    authMode: text('auth_mode').$type<McpAuthMode>().notNull(),
    isTrusted: boolean('is_trusted').notNull().default(false),
    state: text('state').$type<McpServerState>().notNull().default('pending'),
    stateDetail: text('state_detail'),
    credentialId: text('credential_id'),
    credentialSetAt: timestamp('credential_set_at', { withTimezone: true }),
    pendingSecretCiphertext: text('pending_secret_ciphertext'),
    // OAuth: client registration (its secret inside, encrypted) and discovery, reused by Reconnect.
    oauthClientCiphertext: text('oauth_client_ciphertext'),
    oauthDiscovery: jsonb('oauth_discovery').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('mcp_servers_bot_name_idx').on(table.botId, sql`lower(${table.name})`)],
);

// One MCP sign-in under way: single use, bound to the admin, the bot and the server (and the session to retry).
export const mcpOauthStates = pgTable('mcp_oauth_states', {
  stateHash: text('state_hash').primaryKey(),
  teamId: text('team_id').notNull(),
  userId: text('user_id').notNull(),
  botId: text('bot_id')
    .notNull()
    .references(() => bots.id, { onDelete: 'cascade' }),
  serverId: text('server_id')
    .notNull()
    .references(() => mcpServers.id, { onDelete: 'cascade' }),
  sessionId: text('session_id'),
  codeVerifierCiphertext: text('code_verifier_ciphertext'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});
