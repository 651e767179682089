import { UnrecoverableError } from 'bullmq';
import type { SlackClients } from '../src/ports/slack-clients';
import { buildHome } from '../src/views/home';
import { publishHome } from './definitions';

interface Deps {
  slack: SlackClients;
}

export async function runPublishHome(data: unknown, deps: Deps): Promise<void> {
  const job = publishHome.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid publish-home payload');
  const client = await deps.slack.forTeam(job.data);
  await client.views.publish({ user_id: job.data.userId, view: buildHome() });
}
