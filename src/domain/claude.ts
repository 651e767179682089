export interface ModelOption {
  id: string;
  displayName: string;
}

export interface NamedResource {
  id: string;
  name: string;
}

/** What a key can see in the Anthropic workspace, as last refreshed. */
export interface ClaudeResources {
  agents: NamedResource[];
  environments: NamedResource[];
  vaults: NamedResource[];
  refreshedAt: string;
}

/** A Slack `rich_text` block as `rich_text_input` returns it; stored as is, synced to Claude as plain text. */
export interface RichTextBlock {
  type: 'rich_text';
  elements: unknown[];
}

export type ConnectionMode = 'managed' | 'existing';

export interface ClaudeConnection {
  botId: string;
  keyId: string | null;
  mode: ConnectionMode;
  agentId: string | null;
  environmentId: string | null;
  /** The admin's own vaults (existing mode), attached to every session. */
  vaultIds: string[];
  /** The vault Baton owns for this bot (managed mode, and Baton's MCP credential later). */
  batonVaultId: string | null;
  model: string | null;
  instructions: RichTextBlock | null;
  guidance: string;
  /** Skills the managed agent uses (`anthropic:<id>` or `custom:<Baton skill id>`). */
  skills: string[];
  syncedAt: Date | null;
}

const DEFAULT_MODEL_FAMILY = 'sonnet';

/** Sonnet by default: the first model whose id names the family, else the first listed. */
export const pickDefaultModel = (models: ModelOption[]): ModelOption | undefined =>
  models.find((m) => m.id.includes(DEFAULT_MODEL_FAMILY)) ?? models[0];
