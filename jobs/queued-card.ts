import { UnrecoverableError } from 'bullmq';
import { showQueuedCard } from '../src/sessions/open-run';
import { createRunSessionJob, queuedCard } from './definitions';
import type { JobAttempt, ProcessorDeps } from './deps';
import { sessionScoped } from './session-scope';

/**
 * A session made a while ago with no card: if its run still waits for a slot, its card goes up saying it is queued.
 * When the channel's post budget allows no card now, the job is retried (a little later each time).
 */
export async function runQueuedCard(data: unknown, all: ProcessorDeps, attempt: JobAttempt): Promise<void> {
  const job = queuedCard.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid queued-card payload');
  const { sessionId, teamId, traceId } = job.data;
  if (!(await all.queue.isWaiting(createRunSessionJob({ id: sessionId, teamId }, traceId)))) return;
  const deps = await sessionScoped(all, sessionId, traceId, teamId);
  const card = await showQueuedCard(deps.session, sessionId);
  deps.log.info({ event: 'session.queued_card', card });
  if (card === 'later' && !attempt.isFinal) throw new Error("the channel's post budget allows no card now");
}
