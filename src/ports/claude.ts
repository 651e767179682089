import type { ToolMode } from '../domain/bots';
import type { ClaudeResources, ModelOption } from '../domain/claude';

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
}

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
  /**
   * Baton's own assistant: the Messages API with the bot's key and a forced tool call. Returns only the fields it
   * proposes to change; an answer Baton cannot read rejects with kind `provider`.
   */
  proposeSettings(apiKey: string, request: SettingsProposalRequest): Promise<SettingsProposal>;
}
