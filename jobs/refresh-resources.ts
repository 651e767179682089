import { UnrecoverableError } from 'bullmq';
import { connectionView } from '../src/bots/catalog';
import { ClaudeApiError } from '../src/ports/claude';
import { refreshResources } from './definitions';
import type { ProcessorDeps } from './deps';

/** "Refresh Claude resources": lists the agents, environments and vaults the key can see. */
export async function runRefreshResources(data: unknown, deps: ProcessorDeps): Promise<void> {
  const job = refreshResources.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid refresh-resources payload');
  const { teamId, keyId, view, userId } = job.data;
  const secret = await deps.stores.keys.reveal(teamId, keyId);
  if (secret === undefined) return;
  let notice: string | undefined;
  try {
    const resources = await deps.claude.listResources(secret);
    await deps.stores.keys.saveResources(keyId, { ...resources, refreshedAt: new Date().toISOString() });
  } catch (error) {
    if (!(error instanceof ClaudeApiError)) throw error;
    notice = `Could not refresh Claude resources: ${error.message}`;
  }
  const modal = await connectionView(deps.stores, { teamId, userId }, view.botId, {
    selectedKeyId: keyId,
    mode: view.mode,
    ...(notice ? { notice } : {}),
  });
  if (!modal) return;
  const client = await deps.slack.forTeam(job.data);
  await client.views.update({ view_id: view.viewId, view: modal });
}
