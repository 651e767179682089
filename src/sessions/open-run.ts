import type { Bot } from '../domain/bots';
import { isFinished, type Session, type StoredEvent } from '../domain/sessions';
import { admit, type Admission } from './admit';
import type { CardPlace } from '../ports/session-chat';
import type { Resolution } from './resolve-config';
import { renderCard } from './card';
import type { SessionDeps } from './deps';
import { personaOf } from './persona';
import { emptyProgress } from './reduce';
import { loadRun, type RunContext } from './run-context';

/**
 * Loads the run, checks it may start and posts its card; `ended` when the session has ended already, undefined when
 * there is nothing more to run.
 */
export async function openRun(
  deps: SessionDeps,
  sessionId: string,
): Promise<(RunContext & { unhandled: StoredEvent[] }) | { ended: RunContext } | undefined> {
  const loaded = await loadRun(deps, sessionId);
  if (!loaded) return undefined;
  if (isFinished(loaded.session.status)) return { ended: loaded };
  const ctx = loaded as RunContext & { unhandled: StoredEvent[] };
  const admission = await admitted(deps, ctx);
  if (!admission) return undefined;
  const { cardTs } = ctx.session;
  if (cardTs) deps.writer.followCard(placeOf(ctx), cardTs, workingLine(ctx.bot));
  await Promise.all([cardTs ? undefined : postCard(deps, ctx, 'wait'), admission.audited]);
  return ctx;
}

/**
 * The first sign of a session just made, from the job that made it: under a burst of mentions its run job may start
 * seconds later, so the card goes now if the channel's post budget allows it (else its run job posts it, waiting for
 * the budget). `config`: the session's configuration, read beside making it. `refused`: the channel's rules or cap
 * keep the session from starting; it has ended and its person was told why, so it needs no run.
 */
export async function showCardNow(
  deps: SessionDeps,
  session: Session,
  bot: Bot,
  config: Resolution,
): Promise<'shown' | 'later' | 'refused'> {
  const team = { teamId: session.teamId, enterpriseId: session.enterpriseId ?? undefined };
  const ctx: RunContext = { session, bot, team, progress: emptyProgress(), seen: new Set(), lastEventId: null };
  const admission = await admitted(deps, ctx, config);
  if (!admission) return 'refused';
  const [isShown] = await Promise.all([postCard(deps, ctx, 'now'), admission.audited]);
  return isShown ? 'shown' : 'later';
}

/**
 * The card of a session whose run still waits for a slot (every one of every worker is busy), if the channel's post
 * budget allows it now: it says the session is queued and offers Stop. Admitted first, as every card is; its run
 * follows this card when it starts. `none` when the session has its card, has ended, or was refused now.
 */
export async function showQueuedCard(deps: SessionDeps, sessionId: string): Promise<'shown' | 'later' | 'none'> {
  const ctx = await loadRun(deps, sessionId);
  if (!ctx || isFinished(ctx.session.status) || ctx.session.cardTs) return 'none';
  const admission = await admitted(deps, ctx);
  if (!admission) return 'none';
  const [isShown] = await Promise.all([postCard(deps, ctx, 'now', 'queued'), admission.audited]);
  return isShown ? 'shown' : 'later';
}

/** The admission of a run that may start, recorded on `ctx`; undefined when it was refused. */
async function admitted(
  deps: SessionDeps,
  ctx: RunContext,
  justMade?: Resolution,
): Promise<(Admission & { ok: true }) | undefined> {
  const admission = await admit(deps, ctx, justMade);
  if (!admission.ok) return void (await refuse(deps, ctx, admission.reason));
  ctx.spend = admission.spend;
  ctx.config = admission.config;
  return admission;
}

/**
 * A session the channel's rules or monthly cap keep from starting: it ends before anything is posted or created, and
 * only the person who asked is told why (a card or a provider session would cost and notify the channel).
 */
async function refuse(deps: SessionDeps, ctx: RunContext, reason: string): Promise<void> {
  const { session } = ctx;
  if (!(await deps.sessions.finish(session.id, 'stopped', reason))) return;
  const text = `:no_entry: ${reason}`;
  await deps.writer.postEphemeral(ctx.team, session.channelId, session.requesterId, session.threadTs, text);
  deps.log.info({ event: 'session.refused', sessionId: session.id });
}

/** Where the run's card goes. */
const placeOf = ({ team, session }: RunContext): CardPlace => ({
  team,
  sessionId: session.id,
  channel: session.channelId,
  threadTs: session.threadTs,
});

/** The thread's status line while the session works (before it says what it does). */
const workingLine = (bot: Bot): string => `${bot.displayName} is working…`;

/** What a queued session's card says under its status. */
const QUEUED_NOTE = 'Every session slot is busy: this one starts as soon as a slot frees up.';

/**
 * `now`: only if the channel's post budget allows it now (false when it did not); `wait`: as soon as it does.
 * `queued`: the card of a session whose run has not started; its run, when it starts, updates it.
 */
async function postCard(
  deps: SessionDeps,
  ctx: RunContext,
  when: 'now' | 'wait',
  status: 'starting' | 'queued' = 'starting',
): Promise<boolean> {
  const { team, bot } = ctx;
  // The card's first state is already "Starting": no redraw a moment later just to say so. The status is stored
  // with the card's ts, after the post, so no write stands between the person and the card.
  const session: Session = { ...ctx.session, status };
  const card = renderCard(session, bot, ctx.progress, ctx.spend, status === 'queued' ? QUEUED_NOTE : undefined);
  const persona = personaOf(bot);
  const place = placeOf(ctx);
  const cardTs =
    when === 'now'
      ? await deps.writer.postCardNow(place, persona, card)
      : await deps.writer.postCard(place, persona, card, session.triggerTs);
  if (!cardTs) return false;
  if (status === 'queued') {
    // Its run may have started meanwhile: only the card's ts is stored, never a status behind the run's.
    await deps.sessions.update(session.id, { cardTs });
    ctx.session = { ...ctx.session, cardTs };
    return true;
  }
  const title = session.task || `${bot.displayName} in this thread`;
  await deps.writer.setThreadStatus(team, session.channelId, session.threadTs, workingLine(bot), {
    title,
    initiatorId: session.requesterId,
  });
  await deps.sessions.update(session.id, { status: 'starting', cardTs });
  ctx.session = { ...session, cardTs };
  return true;
}
