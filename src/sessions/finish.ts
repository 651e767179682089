import type { Session } from '../domain/sessions';
import { renderCard } from './card';
import type { SessionDeps } from './deps';
import { personaOf } from './persona';
import { openProvider, type RunContext } from './run-context';

const REACTION: Record<'done' | 'failed' | 'stopped', string> = {
  done: 'white_check_mark',
  failed: 'x',
  stopped: 'black_square_for_stop',
};

/** The turn is over and nothing else was asked: settle the session as done, stopped or failed. */
export async function finishSession(deps: SessionDeps, ctx: RunContext): Promise<void> {
  const { progress } = ctx;
  if (ctx.session.isStopRequested || (await deps.sessions.get(ctx.session.id))?.isStopRequested) {
    return settle(deps, ctx, 'stopped', null);
  }
  if (progress.error) return settle(deps, ctx, 'failed', progress.error);
  return settle(deps, ctx, 'done', null);
}

/** Ends the session as failed with a note in the thread a person can read; the card offers Retry. */
export async function failSession(deps: SessionDeps, ctx: RunContext, reason: string): Promise<void> {
  await settle(deps, ctx, 'failed', reason);
}

async function settle(
  deps: SessionDeps,
  ctx: RunContext,
  status: 'done' | 'failed' | 'stopped',
  reason: string | null,
) {
  const { session, bot, team } = ctx;
  // Its tokens die with the session: revoked before the session reads as finished, so none outlives it.
  await deps.mcpTokens.revokeForSession(session.id);
  if (!(await deps.sessions.finish(session.id, status, reason))) return;
  const finished: Session = { ...session, status, statusReason: reason };
  ctx.session = finished;
  if (status === 'failed') {
    const text = `:x: *${bot.displayName}* could not finish: ${reason ?? 'unknown error'}\nPress *Retry* on the card to try again.`;
    await deps.writer.post(team, session.id, 'failure', session.channelId, session.threadTs, personaOf(bot), text);
  }
  await deps.writer.setThreadStatus(team, session.channelId, session.threadTs, '');
  await deps.writer.react(team, session.channelId, session.triggerTs, 'eyes', false);
  await deps.writer.react(team, session.channelId, session.triggerTs, REACTION[status], true);
  if (finished.cardTs) {
    await deps.writer.updateCard(
      team,
      session.channelId,
      finished.cardTs,
      renderCard(finished, bot, ctx.progress, ctx.spend),
      true,
    );
  }
  await cleanUp(deps, ctx);
  deps.log.info({ event: 'session.finished', status });
}

/** A session that ended for any reason leaves no provider work running and none of what it created behind. */
async function cleanUp(deps: SessionDeps, ctx: RunContext): Promise<void> {
  const { session } = ctx;
  const { startAttempts, ...state } = session.providerState;
  if (!session.providerSessionId && !startAttempts) return;
  try {
    const opened = ctx.provider ?? (await openProvider(deps, ctx));
    if ('problem' in opened) return;
    await opened.cleanup(session.providerSessionId, state);
  } catch (error) {
    deps.log.warn({ event: 'session.cleanup.failed', err: error });
  }
}
