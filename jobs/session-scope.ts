import type { ProcessorDeps } from './deps';

/**
 * The deps of a job about one session, with a logger whose every line carries the job's traceId, the session id
 * and its workspace, so an operator can follow one session across processes.
 */
export async function sessionScoped(deps: ProcessorDeps, sessionId: string, traceId: string): Promise<ProcessorDeps> {
  const session = await deps.session.sessions.get(sessionId);
  const log = deps.log.child({ traceId, sessionId, teamId: session?.teamId });
  return { ...deps, log, session: { ...deps.session, log } };
}
