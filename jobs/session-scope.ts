import type { ProcessorDeps } from './deps';

/**
 * The deps of a job about one session, with a logger whose every line carries the job's traceId, the session id
 * and its workspace, so an operator can follow one session across processes. The workspace is read from the session
 * unless the job carries it.
 */
export async function sessionScoped(
  deps: ProcessorDeps,
  sessionId: string,
  traceId: string,
  knownTeamId?: string,
): Promise<ProcessorDeps> {
  const teamId = knownTeamId ?? (await deps.session.sessions.get(sessionId))?.teamId;
  const log = deps.log.child({ traceId, sessionId, teamId });
  return { ...deps, log, session: { ...deps.session, log } };
}
