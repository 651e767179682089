import { UnrecoverableError } from 'bullmq';
import { createJob, stopThread } from './definitions';
import type { ProcessorDeps } from './deps';

/** Slack's Stop in its agent surface does what the card's Stop does, for every session running in the thread. */
export async function runStopThread(data: unknown, deps: ProcessorDeps): Promise<void> {
  const parsed = stopThread.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError('invalid stop-thread payload');
  const { teamId, channel, threadTs, traceId, userId } = parsed.data;
  const active = await deps.triggers.activeInThread(teamId, channel, threadTs);
  for (const session of active) {
    await deps.session.queue.enqueue(
      createJob('control-session', { traceId, sessionId: session.id, userId, action: { type: 'stop' } }, session.id),
    );
  }
  deps.log.info({ event: 'trigger.stop_thread', traceId, sessions: active.length });
}
