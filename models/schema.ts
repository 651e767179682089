import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ClaudeResources, ModelOption, NamedResource, RichTextBlock } from '../src/domain/claude';
import type { McpAuthMode, McpServerState } from '../src/domain/mcp-servers';
import type { McpApproval, RepositoriesMode, StartersMode, GuidanceMode } from '../src/domain/channel-settings';
import type { CursorRepositoryOption } from '../src/domain/cursor';
import type { ChosenRepository, GitHubConnectionState, GitHubRepository } from '../src/domain/github';

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

// Workspace-wide defaults admins set (today: the spending limit per session).
export const workspaceSettings = pgTable('workspace_settings', {
  teamId: text('team_id').primaryKey(),
  sessionBudgetCents: integer('session_budget_cents'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

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
