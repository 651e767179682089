import { UnrecoverableError } from 'bullmq';
import { runSession as run } from '../src/sessions/run-session';
import { runSession } from './definitions';
import type { ProcessorDeps } from './deps';

/** The long job of a session; if its worker dies, BullMQ hands it to another, which resumes where it stopped. */
export async function runRunSession(data: unknown, deps: ProcessorDeps): Promise<void> {
  const job = runSession.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid run-session payload');
  await run(deps.session, job.data.sessionId);
}
