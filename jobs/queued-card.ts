import { UnrecoverableError } from 'bullmq';
import { showQueuedCard } from '../src/sessions/open-run';
import { createQueuedCardJob, createRunSessionJob, queuedCard } from './definitions';
import type { ProcessorDeps } from './deps';
import { sessionScoped } from './session-scope';

/** A card refused by the channel's post budget is tried again this much later (a post a second refills it)... */
const RETRY_MS = 1_000;
/** ...for about this many tries: a minute, after which its person still has 👀 and the card follows with the run. */
const TRIES = 60;

/** A session made a while ago with no card: if its run still waits for a slot, its card goes up saying it is queued. */
export async function runQueuedCard(data: unknown, all: ProcessorDeps): Promise<void> {
  const job = queuedCard.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid queued-card payload');
  const { sessionId, teamId, traceId, tries } = job.data;
  const session = { id: sessionId, teamId };
  if (!(await all.queue.isWaiting(createRunSessionJob(session, traceId)))) return;
  const deps = await sessionScoped(all, sessionId, traceId, teamId);
  const card = await showQueuedCard(deps.session, sessionId);
  deps.log.info({ event: 'session.queued_card', card, tries });
  if (card === 'later' && tries + 1 < TRIES) {
    await all.queue.enqueue(createQueuedCardJob(session, traceId, RETRY_MS, tries + 1));
  }
}
