import type Anthropic from '@anthropic-ai/sdk';
import { anthropicClient, type AnthropicClientOptions } from './client';
import type { ClaudeResources, ModelOption, NamedResource } from '../../domain/claude';
import {
  ClaudeApiError,
  ClaudeSyncError,
  type ClaudeApi,
  type ManagedAgentSpec,
  type McpCredential,
  type SkillFile,
  type ManagedResourceIds,
  type SettingsProposal,
  type SettingsProposalRequest,
} from '../../ports/claude';
import { isNotFound, mapErrors, redact, toClaudeApiError } from './errors';
import { syncManagedResources } from './managed-agent-sync';
import { deleteSkill, listBuiltinSkills, uploadSkill } from './skills';
import { deleteCredential, pruneCredentials, putMcpCredential } from './vault-credentials';
import { assistantModel, buildProposalRequest, parseProposal } from './settings-proposal';

export type AnthropicClaudeApiOptions = AnthropicClientOptions;

async function collect<T, R>(items: AsyncIterable<T>, map: (item: T) => R): Promise<R[]> {
  const out: R[] = [];
  for await (const item of items) out.push(map(item));
  return out;
}

const named = (id: string, name: string | null | undefined): NamedResource => ({ id, name: name || id });

/** `ClaudeApi` over `@anthropic-ai/sdk`. Keys differ per bot, so each call builds its own client. */
export class AnthropicClaudeApi implements ClaudeApi {
  constructor(private readonly options: AnthropicClaudeApiOptions) {}

  private client(apiKey: string): Anthropic {
    return anthropicClient(this.options, apiKey);
  }

  validateKey(apiKey: string): Promise<ModelOption[]> {
    const client = this.client(apiKey);
    return mapErrors(apiKey, async () => {
      // The models list needs no beta, so it tests the key alone (401); the agents list then tests access (403).
      const models = await collect(client.beta.models.list(), (m) => ({ id: m.id, displayName: m.display_name }));
      await client.beta.agents.list({ limit: 1 });
      return models;
    });
  }

  listResources(apiKey: string): Promise<Omit<ClaudeResources, 'refreshedAt'>> {
    const client = this.client(apiKey);
    const live = <T extends { archived_at: string | null }>(items: T[]) => items.filter((i) => !i.archived_at);
    return mapErrors(apiKey, async () => {
      const [agents, environments, vaults] = await Promise.all([
        collect(client.beta.agents.list(), (a) => a),
        collect(client.beta.environments.list(), (e) => e),
        collect(client.beta.vaults.list(), (v) => v),
      ]);
      return {
        agents: live(agents).map((a) => named(a.id, a.name)),
        environments: live(environments).map((e) => named(e.id, e.name)),
        vaults: live(vaults).map((v) => named(v.id, v.display_name)),
      };
    });
  }

  async syncManagedAgent(
    apiKey: string,
    spec: ManagedAgentSpec,
    current: ManagedResourceIds,
  ): Promise<{ agentId: string; environmentId: string; vaultId: string }> {
    const progress: ManagedResourceIds = { ...current };
    try {
      return await syncManagedResources(this.client(apiKey), spec, progress);
    } catch (error) {
      const mapped = toClaudeApiError(error, apiKey);
      if (!(mapped instanceof ClaudeApiError)) throw mapped;
      throw new ClaudeSyncError(progress, mapped);
    }
  }

  async checkExisting(
    apiKey: string,
    ids: { agentId: string; environmentId: string; vaultIds: string[] },
  ): Promise<void> {
    const client = this.client(apiKey);
    const checks: Array<{ label: string; id: string; retrieve: () => Promise<{ archived_at: string | null }> }> = [
      { label: 'agent', id: ids.agentId, retrieve: () => client.beta.agents.retrieve(ids.agentId) },
      {
        label: 'environment',
        id: ids.environmentId,
        retrieve: () => client.beta.environments.retrieve(ids.environmentId),
      },
      ...ids.vaultIds.map((id) => ({ label: 'vault', id, retrieve: () => client.beta.vaults.retrieve(id) })),
    ];
    const results = await Promise.allSettled(checks.map((c) => c.retrieve()));
    const missing: string[] = [];
    for (const [i, result] of results.entries()) {
      const check = checks[i];
      if (!check) continue;
      if (result.status === 'fulfilled') {
        if (result.value.archived_at) missing.push(`the ${check.label} ${check.id} is archived`);
      } else if (isNotFound(result.reason)) missing.push(`the ${check.label} ${check.id} no longer exists`);
      else throw toClaudeApiError(result.reason, apiKey);
    }
    if (missing.length)
      throw new ClaudeApiError(
        'not_found',
        `In your Anthropic workspace, ${missing.join(', and ')}. Pick another one, or create it again in the Anthropic Console.`,
      );
  }

  listBuiltinSkills(apiKey: string): Promise<NamedResource[]> {
    return mapErrors(apiKey, () => listBuiltinSkills(this.client(apiKey)));
  }

  uploadSkill(
    apiKey: string,
    file: SkillFile,
    anthropicSkillId: string | null,
  ): Promise<{ anthropicSkillId: string; version: string }> {
    return mapErrors(apiKey, () => uploadSkill(this.client(apiKey), file, anthropicSkillId));
  }

  deleteSkill(apiKey: string, anthropicSkillId: string): Promise<void> {
    return mapErrors(apiKey, () => deleteSkill(this.client(apiKey), anthropicSkillId));
  }

  putMcpCredential(
    apiKey: string,
    vaultId: string,
    credentialId: string | null,
    credential: McpCredential,
  ): Promise<string> {
    const secrets = credential.type === 'static_bearer' ? [credential.token] : [credential.accessToken];
    return mapErrors(apiKey, async () => {
      try {
        return await putMcpCredential(this.client(apiKey), vaultId, credentialId, credential);
      } catch (error) {
        // Anthropic never echoes secrets as far as we know; scrub the token from anything logged regardless.
        if (error instanceof Error) for (const s of secrets) error.message = redact(error.message, s);
        throw error;
      }
    });
  }

  pruneCredentials(apiKey: string, vaultId: string, keep: string[]): Promise<void> {
    return mapErrors(apiKey, () => pruneCredentials(this.client(apiKey), vaultId, keep));
  }

  deleteCredential(apiKey: string, vaultId: string, credentialId: string): Promise<void> {
    return mapErrors(apiKey, () => deleteCredential(this.client(apiKey), vaultId, credentialId));
  }

  async proposeSettings(apiKey: string, request: SettingsProposalRequest): Promise<SettingsProposal> {
    const model = assistantModel(request.models) ?? request.current.model;
    if (!model) throw new ClaudeApiError('provider', 'This key lists no Claude models, so Baton cannot ask Claude.');
    const client = this.client(apiKey);
    const message = await mapErrors(apiKey, () => client.messages.create(buildProposalRequest(request, model)));
    return parseProposal(message, request);
  }
}
