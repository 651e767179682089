import type { ToolMode } from '../domain/bots';
import type { ClaudeResources, ModelOption, NamedResource } from '../domain/claude';

export type ClaudeFailureKind = 'invalid_key' | 'no_access' | 'rate_limited' | 'network' | 'not_found' | 'provider';

/** A failed call to Anthropic, with a message a Slack admin can act on (never containing the key). */
export class ClaudeApiError extends Error {
  override readonly name: string = 'ClaudeApiError';

  constructor(
    readonly kind: ClaudeFailureKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface ManagedAgentSpec {
  botId: string;
  teamId: string;
  name: string;
  model: string;
  instructions: string;
  /** Baton's MCP server for this bot's sessions; when set, the agent declares it with its tools always allowed. */
  batonMcpUrl?: string;
  /** Skills on the agent, custom ones pinned to the version Baton uploaded. */
  skills?: AgentSkill[];
  /** The bot's own MCP servers, declared next to Baton's (with `batonMcpUrl`); trusted ones never ask. */
  mcpServers?: Array<{ name: string; url: string; isTrusted: boolean }>;
}

export interface AgentSkill {
  type: 'anthropic' | 'custom';
  skillId: string;
  version?: string;
}

/** One SKILL.md to upload: its directory (the skill's name), content and display title. */
export interface SkillFile {
  name: string;
  title: string;
  markdown: string;
}

/** What goes into the bot's vault for one MCP server; secrets travel only from here to Anthropic. */
export type McpCredential =
  | { type: 'static_bearer'; url: string; token: string }
  | {
      type: 'mcp_oauth';
      url: string;
      accessToken: string;
      expiresAt?: string | undefined;
      refresh?:
        | {
            clientId: string;
            refreshToken: string;
            tokenEndpoint: string;
            authMethod: 'none' | 'client_secret_basic' | 'client_secret_post';
            clientSecret?: string | undefined;
            scope?: string | undefined;
            resource?: string | undefined;
          }
        | undefined;
    };

export interface ManagedResourceIds {
  agentId: string | null;
  environmentId: string | null;
  vaultId: string | null;
}

/**
 * A `syncManagedAgent` that failed part-way. `progress` holds every id that exists remotely right now
 * (created or confirmed before the failure); persist it so the retry repairs instead of duplicating.
 */
export class ClaudeSyncError extends ClaudeApiError {
  override readonly name: string = 'ClaudeSyncError';

  constructor(
    readonly progress: ManagedResourceIds,
    failure: ClaudeApiError,
  ) {
    super(failure.kind, failure.message, { cause: failure });
  }
}

export interface SettingsProposal {
  instructions?: { value: string; reason: string };
  model?: { value: string; reason: string };
  toolMode?: { value: ToolMode; reason: string };
  guidance?: { value: string; reason: string };
}

export interface SettingsProposalRequest {
  botName: string;
  current: { instructions: string; model: string | null; toolMode: ToolMode; guidance: string };
  models: ModelOption[];
  ask: string;
}

/** Every method rejects with `ClaudeApiError` for failures Anthropic reports or the network causes. */
export interface ClaudeApi {
  /** Checks the key step by step: it authenticates (401 → invalid_key), then Managed Agents are enabled for it (403 → no_access). Returns the models it can use. */
  validateKey(apiKey: string): Promise<ModelOption[]>;
  /** Non-archived agents, environments and vaults (all pages), with their display names. */
  listResources(apiKey: string): Promise<Omit<ClaudeResources, 'refreshedAt'>>;
  /**
   * Creates, or repairs, exactly one agent, one cloud environment and one vault for the bot: ids that still exist
   * are updated in place (agent update with its current version), ids that are missing/archived/deleted remotely
   * are recreated. Idempotent. A failure part-way rejects with `ClaudeSyncError` carrying the ids to keep.
   */
  syncManagedAgent(
    apiKey: string,
    spec: ManagedAgentSpec,
    current: ManagedResourceIds,
  ): Promise<{ agentId: string; environmentId: string; vaultId: string }>;
  /** For "connect existing agent": confirms the chosen resources still exist; not_found names which one is gone. */
  checkExisting(apiKey: string, ids: { agentId: string; environmentId: string; vaultIds: string[] }): Promise<void>;
  /** Anthropic's built-in skills (source `anthropic`), as the key lists them. */
  listBuiltinSkills(apiKey: string): Promise<NamedResource[]>;
  /**
   * Uploads a SKILL.md: a new version of `anthropicSkillId` when given and still there, else a new skill.
   * Returns the skill and the version to pin on the agent.
   */
  uploadSkill(
    apiKey: string,
    file: SkillFile,
    anthropicSkillId: string | null,
  ): Promise<{ anthropicSkillId: string; version: string }>;
  /** Deletes a custom skill with all its versions; one already gone is fine. */
  deleteSkill(apiKey: string, anthropicSkillId: string): Promise<void>;
  /** Writes the credential for one MCP server URL into the vault, replacing `credentialId` (or any for that URL). */
  putMcpCredential(
    apiKey: string,
    vaultId: string,
    credentialId: string | null,
    credential: McpCredential,
  ): Promise<string>;
  /** Deletes every credential in the vault except `keep` (servers removed from the bot). */
  pruneCredentials(apiKey: string, vaultId: string, keep: string[]): Promise<void>;
  /** Removes a vault credential; one already gone is fine. */
  deleteCredential(apiKey: string, vaultId: string, credentialId: string): Promise<void>;
  /**
   * Baton's own assistant: the Messages API with the bot's key and a forced tool call. Returns only the fields it
   * proposes to change; an answer Baton cannot read rejects with kind `provider`.
   */
  proposeSettings(apiKey: string, request: SettingsProposalRequest): Promise<SettingsProposal>;
}
