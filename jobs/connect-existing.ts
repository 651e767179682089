import { UnrecoverableError } from 'bullmq';
import { connectionView } from '../src/bots/catalog';
import { ClaudeApiError } from '../src/ports/claude';
import { escapeMrkdwn } from '../src/views/blocks';
import { buildNoticeModal } from '../src/views/notice-modal';
import { connectExisting } from './definitions';
import type { ProcessorDeps } from './deps';

/**
 * Saves "Connect an existing agent" only after Anthropic confirms the agent, environment and vaults still exist;
 * otherwise the modal comes back with what is gone, and nothing is saved.
 */
export async function runConnectExisting(data: unknown, deps: ProcessorDeps): Promise<void> {
  const job = connectExisting.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid connect-existing payload');
  const { teamId, botId, keyId, agentId, environmentId, vaultIds, actorId, viewId } = job.data;
  const { bots, connections, keys, audit } = deps.stores;
  const client = await deps.slack.forTeam(job.data);
  const bot = await bots.get(teamId, botId);
  const secret = await keys.reveal(teamId, keyId);
  if (!bot || secret === undefined) {
    await client.views.update({ view_id: viewId, view: buildNoticeModal('Not saved', 'This bot or key was deleted.') });
    return;
  }
  try {
    await deps.claude.checkExisting(secret, { agentId, environmentId, vaultIds });
  } catch (error) {
    if (!(error instanceof ClaudeApiError)) throw error;
    if (error.kind === 'not_found') {
      const resources = await deps.claude.listResources(secret).catch(() => undefined);
      if (resources) await keys.saveResources(keyId, { ...resources, refreshedAt: new Date().toISOString() });
    }
    const view = await connectionView(deps.stores, { teamId, userId: actorId }, botId, {
      selectedKeyId: keyId,
      mode: 'existing',
      notice: `Not saved: ${error.message}`,
    });
    if (view) await client.views.update({ view_id: viewId, view });
    return;
  }
  await connections.save(botId, { keyId, mode: 'existing', agentId, environmentId, vaultIds });
  await bots.setToolAccess(botId, { toolMode: job.data.toolMode, allowDirectApi: job.data.allowDirectApi });
  await bots.setStatus(botId, 'ready');
  await audit.record({
    teamId,
    actorId,
    action: 'bot.connection_saved',
    target: bot.name,
    details: { mode: 'existing', agentId, environmentId, vaultIds, toolMode: job.data.toolMode },
  });
  await client.views.update({
    view_id: viewId,
    view: buildNoticeModal('Connected', `*${escapeMrkdwn(bot.name)}* now runs on your existing Claude agent.`),
  });
}
