import { UnrecoverableError } from 'bullmq';
import { pickDefaultModel } from '../src/domain/claude';
import { richTextToPlain } from '../src/domain/rich-text';
import { prepareSkills, syncMcpCredentials } from '../src/bots/agent-tools';
import { ClaudeApiError, ClaudeSyncError } from '../src/ports/claude';
import { syncBot } from './definitions';
import type { JobAttempt, ProcessorDeps } from './deps';
import { publishHomeFor } from './publish-home';

const RETRYABLE = new Set(['rate_limited', 'network', 'provider']);

/**
 * Creates or repairs the bot's one agent, environment and vault ("manage the agent in Baton"). The bot shows
 * Syncing… while this runs, then Synced or Failed: <reason> with a Retry button.
 */
export async function runSyncBot(data: unknown, deps: ProcessorDeps, attempt: JobAttempt): Promise<void> {
  const job = syncBot.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid sync-bot payload');
  const { teamId, botId, actorId } = job.data;
  const { bots, connections, keys, audit } = deps.stores;
  const bot = await bots.get(teamId, botId);
  const connection = await connections.get(botId);
  if (!bot || connection?.mode !== 'managed') return;

  const fail = async (reason: string) => {
    await bots.setStatus(botId, 'failed', reason);
    await audit.record({ teamId, actorId, action: 'bot.sync_failed', target: bot.name, details: { reason } });
  };
  const key = connection.keyId ? await keys.get(teamId, connection.keyId) : undefined;
  const secret = key ? await keys.reveal(teamId, key.id) : undefined;
  if (!key || secret === undefined) return fail('No API key is chosen. Open Agent connection and pick one.');
  const model = connection.model ?? pickDefaultModel(key.models)?.id;
  if (!model) return fail('No model is chosen. Validate the connection, then pick a model.');

  const progress = (detail: string) => bots.setStatus(botId, 'syncing', detail);
  try {
    const skills = await prepareSkills(
      deps.stores,
      deps.claude,
      { teamId, key, apiKey: secret },
      connection.skills,
      progress,
    );
    const servers = await deps.stores.mcpServers.list(botId);
    const ids = await deps.claude.syncManagedAgent(
      secret,
      {
        botId,
        teamId,
        name: bot.name,
        model,
        instructions: richTextToPlain(connection.instructions),
        batonMcpUrl: deps.session.mcpUrl,
        skills,
        mcpServers: servers.map(({ name, url, isTrusted }) => ({ name, url, isTrusted })),
      },
      { agentId: connection.agentId, environmentId: connection.environmentId, vaultId: connection.batonVaultId },
    );
    await connections.recordSync(botId, { ...ids, batonVaultId: ids.vaultId }, true);
    await syncMcpCredentials(deps.stores, deps.claude, secret, ids.vaultId, servers, deps.lookupTokenEndpoint);
    await bots.setStatus(botId, 'ready');
    await audit.record({ teamId, actorId, action: 'bot.synced', target: bot.name, details: { agentId: ids.agentId } });
  } catch (error) {
    if (error instanceof ClaudeSyncError) {
      const { agentId, environmentId, vaultId } = error.progress;
      await connections.recordSync(botId, { agentId, environmentId, batonVaultId: vaultId }, false);
    }
    if (!(error instanceof ClaudeApiError)) throw error;
    if (RETRYABLE.has(error.kind) && !attempt.isFinal) {
      await bots.setStatus(botId, 'syncing', `Retrying: ${error.message}`);
      throw error;
    }
    await fail(error.message);
  }
  await publishHomeFor(deps, job.data, actorId);
}
