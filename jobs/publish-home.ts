import { UnrecoverableError } from 'bullmq';
import { listBotItems } from '../src/bots/catalog';
import type { TeamRef } from '../src/ports/slack-clients';
import { buildHome } from '../src/views/home';
import { publishHome } from './definitions';
import type { ProcessorDeps } from './deps';

/** Publishes the user's App Home: what Baton is, and the workspace's bots (with Edit buttons for admins). */
export async function publishHomeFor(deps: ProcessorDeps, team: TeamRef, userId: string): Promise<void> {
  const client = await deps.slack.forTeam(team);
  const [bots, canConfigure] = await Promise.all([
    listBotItems(deps.stores, team.teamId),
    deps.access.canConfigure(client, team.teamId, userId),
  ]);
  await client.views.publish({ user_id: userId, view: buildHome(bots, { canConfigure }) });
}

export async function runPublishHome(data: unknown, deps: ProcessorDeps): Promise<void> {
  const job = publishHome.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid publish-home payload');
  await publishHomeFor(deps, job.data, job.data.userId);
}
