import type { ProviderKey } from '../domain/provider-keys';
import { parseSkillRef, skillContentHash, skillMarkdown, type Skill } from '../domain/skills';
import type { McpServer } from '../domain/mcp-servers';
import { ClaudeApiError, type AgentSkill, type ClaudeApi, type McpCredential } from '../ports/claude';
import { credentialFromPending, type TokenEndpointLookup } from './mcp-credentials';
import type { BotStores } from './deps';

type Stores = Pick<BotStores, 'skills' | 'mcpServers'>;

/**
 * The agent's skills, uploading each selected workspace skill to the key's Anthropic account when it is not there
 * yet or its content changed since (a new version then). A skill deleted meanwhile is left out.
 */
export async function prepareSkills(
  stores: Stores,
  claude: ClaudeApi,
  team: { teamId: string; key: ProviderKey; apiKey: string },
  refs: string[],
  onProgress: (detail: string) => Promise<void>,
): Promise<AgentSkill[]> {
  const out: AgentSkill[] = [];
  for (const ref of refs) {
    const parsed = parseSkillRef(ref);
    if (!parsed) continue;
    if (parsed.type === 'anthropic') {
      out.push({ type: 'anthropic', skillId: parsed.id });
      continue;
    }
    const skill = await stores.skills.get(team.teamId, parsed.id);
    if (!skill) continue;
    out.push(await uploadIfChanged(stores, claude, team, skill, onProgress));
  }
  return out;
}

async function uploadIfChanged(
  stores: Stores,
  claude: ClaudeApi,
  { key, apiKey }: { key: ProviderKey; apiKey: string },
  skill: Skill,
  onProgress: (detail: string) => Promise<void>,
): Promise<AgentSkill> {
  const contentHash = skillContentHash(skill);
  const upload = await stores.skills.upload(skill.id, key.id);
  if (upload?.contentHash === contentHash)
    return { type: 'custom', skillId: upload.anthropicSkillId, version: upload.version };
  await onProgress(`uploading skill ${skill.skillId}`);
  const uploaded = await claude.uploadSkill(
    apiKey,
    { name: skill.skillId, title: skill.title, markdown: skillMarkdown(skill) },
    upload?.anthropicSkillId ?? null,
  );
  await stores.skills.recordUpload({ skillId: skill.id, keyId: key.id, ...uploaded, contentHash });
  return { type: 'custom', skillId: uploaded.anthropicSkillId, version: uploaded.version };
}

/**
 * Writes pasted tokens into the bot's vault (then forgets them), sets each server's state, and removes credentials
 * of servers that are gone. One server's failure is shown on that server; it does not fail the bot.
 */
export async function syncMcpCredentials(
  stores: Stores,
  claude: ClaudeApi,
  apiKey: string,
  vaultId: string,
  servers: McpServer[],
  lookupTokenEndpoint: TokenEndpointLookup,
): Promise<void> {
  const keep: string[] = [];
  for (const server of servers) {
    const pending = await stores.mcpServers.revealPendingSecret(server.id);
    try {
      if (pending !== undefined) {
        const credential: McpCredential = await credentialFromPending(server, pending, lookupTokenEndpoint);
        const id = await claude.putMcpCredential(apiKey, vaultId, server.credentialId, credential);
        await stores.mcpServers.recordCredential(server.id, id, 'connected');
        keep.push(id);
        continue;
      }
      if (server.credentialId && server.authMode !== 'none') keep.push(server.credentialId);
      const state = stateWithoutNewSecret(server);
      await stores.mcpServers.setState(
        server.id,
        state,
        state === 'failed'
          ? 'No token is set: press Replace token.'
          : server.state === state
            ? server.stateDetail
            : null,
      );
    } catch (error) {
      if (!(error instanceof ClaudeApiError)) throw error;
      await stores.mcpServers.setState(server.id, 'failed', error.message);
    }
  }
  await claude.pruneCredentials(apiKey, vaultId, keep);
}

function stateWithoutNewSecret(server: McpServer): McpServer['state'] {
  if (server.authMode === 'none') return 'connected';
  if (server.credentialId) return server.state === 'failed' || server.state === 'pending' ? 'connected' : server.state;
  return server.authMode === 'oauth' ? 'needs_login' : 'failed';
}
