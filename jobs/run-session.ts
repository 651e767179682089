import { UnrecoverableError } from 'bullmq';
import { abandonSession, runSession as run, SessionHandedBack } from '../src/sessions/run-session';
import { newTraceId } from '../src/trace';
import { runSession } from './definitions';
import { CRASHES_TOLERATED, type JobAttempt, type ProcessorDeps } from './deps';
import { sessionScoped } from './session-scope';

/** The long job of a session; if its worker dies, BullMQ hands it to another, which resumes where it stopped. */
export async function runRunSession(data: unknown, all: ProcessorDeps, attempt: JobAttempt): Promise<void> {
  const job = runSession.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid run-session payload');
  const deps = await sessionScoped(all, job.data.sessionId, job.data.traceId, job.data.teamId);
  if (attempt.crashes > CRASHES_TOLERATED) {
    // Its worker died under it every time: most likely this session kills them, so it ends here.
    const ref = newTraceId();
    deps.log.error({ event: 'session.abandoned', ref, crashes: attempt.crashes });
    return abandonSession(deps.session, job.data.sessionId, ref);
  }
  try {
    await run(deps.session, job.data.sessionId, { hasSign: job.data.hasSign === true });
  } catch (error) {
    if (error instanceof SessionHandedBack) return attempt.handBack();
    if (attempt.isFinal) {
      const ref = newTraceId();
      deps.log.error({ event: 'session.abandoned', ref, err: error });
      await abandonSession(deps.session, job.data.sessionId, ref);
    }
    throw error;
  }
}
