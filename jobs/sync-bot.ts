import { UnrecoverableError } from 'bullmq';
import { pickDefaultModel } from '../src/domain/claude';
import { richTextToPlain } from '../src/domain/rich-text';
import { ignoreSlackErrors } from '../src/adapters/slack/errors';
import { prepareSkills, syncMcpCredentials } from '../src/bots/agent-tools';
import { connectionView, type Viewer } from '../src/bots/catalog';
import type { TeamRef } from '../src/ports/slack-clients';
import { ClaudeApiError, ClaudeSyncError } from '../src/ports/claude';
import { syncBot, type SyncBot } from './definitions';
import type { JobAttempt, ProcessorDeps } from './deps';
import { publishHomeFor } from './publish-home';

const RETRYABLE = new Set(['rate_limited', 'network', 'provider']);

// Longer than a sync takes; a sync that died holding the claim blocks the bot's next sync at most this long.
const SYNC_CLAIM_MS = 120_000;

/**
 * Creates or repairs the bot's one agent, environment and vault ("manage the agent in Baton"), with its skills and
 * MCP servers. The bot shows Syncing… while this runs, then Synced or Failed: <reason> with a Retry button.
 * One sync per bot at a time: a sync asked for while another runs is folded into that one's next round.
 */
export async function runSyncBot(data: unknown, deps: ProcessorDeps, attempt: JobAttempt): Promise<void> {
  const job = syncBot.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid sync-bot payload');
  const { bots } = deps.stores;
  const { botId } = job.data;
  if (!(await bots.claimSync(botId, SYNC_CLAIM_MS))) return;
  try {
    do {
      await bots.startSyncRound(botId, SYNC_CLAIM_MS);
      await syncOnce(job.data, deps, attempt);
    } while (!(await bots.releaseSync(botId)));
  } catch (error) {
    await bots.releaseSync(botId, true);
    throw error;
  }
}

async function syncOnce(data: SyncBot, deps: ProcessorDeps, attempt: JobAttempt): Promise<void> {
  const { teamId, botId, actorId } = data;
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
  await publishHomeFor(deps, data, actorId);
  if (data.viewId) await redrawConnection(deps, { teamId, userId: actorId }, botId, data.viewId, data);
}

/** The admin's Agent connection modal, if still open, shows the servers' states after the sync. */
async function redrawConnection(deps: ProcessorDeps, viewer: Viewer, botId: string, viewId: string, team: TeamRef) {
  const view = await connectionView(deps.stores, viewer, botId);
  if (!view) return;
  const client = await deps.slack.forTeam(team);
  await ignoreSlackErrors(['not_found', 'view_not_found'], () => client.views.update({ view_id: viewId, view }));
}
