import { UnrecoverableError } from 'bullmq';
import { controlSession as control } from '../src/sessions/control';
import { controlSession } from './definitions';
import type { ProcessorDeps } from './deps';
import { sessionScoped } from './session-scope';

export async function runControlSession(data: unknown, deps: ProcessorDeps): Promise<void> {
  const job = controlSession.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid control-session payload');
  await control((await sessionScoped(deps, job.data.sessionId, job.data.traceId)).session, job.data);
}
