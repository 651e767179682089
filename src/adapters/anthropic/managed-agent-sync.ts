import type Anthropic from '@anthropic-ai/sdk';
import { ClaudeApiError, type ManagedAgentSpec, type ManagedResourceIds } from '../../ports/claude';
import { batonMcpServer, batonMcpToolset } from './baton-mcp';
import { isConflict, isNotFound } from './errors';

// The SDK retries POSTs without an idempotency key, so a create whose response was lost could be sent twice.
// Creates go out once; a failure surfaces as ClaudeSyncError progress and the caller's retry repairs.
const ONCE = { maxRetries: 0 } as const;
const CLOUD_CONFIG = { type: 'cloud', networking: { type: 'unrestricted' } } as const;

export const batonMetadata = (spec: ManagedAgentSpec) => ({ baton_bot_id: spec.botId, baton_team_id: spec.teamId });
export const agentName = (spec: ManagedAgentSpec) => `Baton · ${spec.name}`.slice(0, 255);
// Environment names are unique across the organization, so the bot id keeps two bots called "reviewer" apart.
export const environmentName = (spec: ManagedAgentSpec) => `Baton · ${spec.name.slice(0, 200)} (${spec.botId})`;

/** Fetches a resource, treating "deleted" (404) and "archived" alike as gone. */
async function live<T extends { archived_at: string | null }>(
  id: string | null,
  retrieve: (id: string) => Promise<T>,
): Promise<T | null> {
  if (!id) return null;
  try {
    const found = await retrieve(id);
    return found.archived_at ? null : found;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

// Without a Baton MCP URL the agent's tools are left as they are (an update that omits them preserves them).
// The bot's own servers ask before each call (Anthropic's default) unless an admin trusts them.
const batonTools = (url: string | undefined, servers: NonNullable<ManagedAgentSpec['mcpServers']>) =>
  url === undefined
    ? {}
    : {
        mcp_servers: [batonMcpServer(url), ...servers.map((s) => ({ type: 'url' as const, name: s.name, url: s.url }))],
        tools: [
          { type: 'agent_toolset_20260401' as const },
          batonMcpToolset(),
          ...servers.map((s) => ({
            type: 'mcp_toolset' as const,
            mcp_server_name: s.name,
            default_config: {
              permission_policy: { type: s.isTrusted ? ('always_allow' as const) : ('always_ask' as const) },
            },
          })),
        ],
      };

const agentSkills = (spec: ManagedAgentSpec) =>
  spec.skills === undefined
    ? {}
    : {
        skills: spec.skills.map((s) => ({
          type: s.type,
          skill_id: s.skillId,
          ...(s.version ? { version: s.version } : {}),
        })),
      };

async function ensureAgent(client: Anthropic, spec: ManagedAgentSpec, id: string | null): Promise<string> {
  const fields = {
    name: agentName(spec),
    model: spec.model,
    system: spec.instructions,
    metadata: batonMetadata(spec),
    ...batonTools(spec.batonMcpUrl, spec.mcpServers ?? []),
    ...agentSkills(spec),
  };
  // One retry on a version conflict: someone edited the agent between our read and our write.
  for (let attempt = 0; ; attempt++) {
    const agent = await live(id, (agentId) => client.beta.agents.retrieve(agentId));
    if (!agent) return (await client.beta.agents.create(fields, ONCE)).id;
    try {
      return (await client.beta.agents.update(agent.id, { ...fields, version: agent.version })).id;
    } catch (error) {
      if (!isConflict(error) || attempt > 0) throw error;
    }
  }
}

async function ensureEnvironment(client: Anthropic, spec: ManagedAgentSpec, id: string | null): Promise<string> {
  const fields = { name: environmentName(spec), config: CLOUD_CONFIG, metadata: batonMetadata(spec) };
  const existing = await live(id, (envId) => client.beta.environments.retrieve(envId));
  if (existing) return (await client.beta.environments.update(existing.id, fields)).id;
  try {
    return (await client.beta.environments.create(fields, ONCE)).id;
  } catch (error) {
    if (!isConflict(error)) throw error;
    // The name is taken: most likely by our own environment from a run that died before its id was saved.
    const adopted = await findOwnEnvironment(client, spec);
    if (adopted) return (await client.beta.environments.update(adopted, fields)).id;
    throw new ClaudeApiError(
      'provider',
      `An environment named "${fields.name}" already exists in your Anthropic organization and Baton did not create it. ` +
        'Rename or archive it in the Anthropic Console, then sync the bot again.',
      { cause: error },
    );
  }
}

async function findOwnEnvironment(client: Anthropic, spec: ManagedAgentSpec): Promise<string | null> {
  for await (const env of client.beta.environments.list()) {
    if (env.name === environmentName(spec) && !env.archived_at && env.metadata['baton_bot_id'] === spec.botId)
      return env.id;
  }
  return null;
}

async function ensureVault(client: Anthropic, spec: ManagedAgentSpec, id: string | null): Promise<string> {
  const fields = { display_name: agentName(spec), metadata: batonMetadata(spec) };
  const vault = await live(id, (vaultId) => client.beta.vaults.retrieve(vaultId));
  if (vault) return (await client.beta.vaults.update(vault.id, fields)).id;
  return (await client.beta.vaults.create(fields, ONCE)).id;
}

/**
 * Brings the bot's agent, environment and vault in line with `spec`, one at a time. `progress` is updated after
 * each step, so when a step throws it holds exactly the ids that exist remotely for the caller to keep.
 */
export async function syncManagedResources(
  client: Anthropic,
  spec: ManagedAgentSpec,
  progress: ManagedResourceIds,
): Promise<{ agentId: string; environmentId: string; vaultId: string }> {
  const agentId = await ensureAgent(client, spec, progress.agentId);
  progress.agentId = agentId;
  const environmentId = await ensureEnvironment(client, spec, progress.environmentId);
  progress.environmentId = environmentId;
  const vaultId = await ensureVault(client, spec, progress.vaultId);
  progress.vaultId = vaultId;
  return { agentId, environmentId, vaultId };
}
