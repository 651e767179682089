import type { BatonEvent } from '../domain/events';
import { isFinished, type Session, type StoredEvent } from '../domain/sessions';
import { isProblem, ProviderError, type ProviderConnection } from '../ports/agent-provider';
import { CodeHostError } from '../ports/code-host';
import { postAnswer } from './answers';
import { lazyCard } from './card';
import { postConfirmation } from './confirmations';
import { metrics } from '../ops/metrics';
import { observeStoredEvents } from '../ops/session-metrics';
import type { SessionDeps } from './deps';
import { failSession, finishAgain, finishSession } from './finish';
import { sendFollowUps } from './follow-ups';
import { step } from './reduce';
import { loadRun, openProvider, type RunContext } from './run-context';
import { openRun } from './open-run';
import { keepGitHubTokenFresh } from './github-renewal';
import { postCloneFailure } from './clone-failures';

const STREAM_RECONNECTS = 5;
/** A provider that cannot be reached when the session starts is asked again this often (after 1 s, 2 s, 4 s). */
const START_RETRIES = 3;
/** The longest a new session whose person has a sign waits for other mentions' first signs before it goes on. */
const PROVIDER_START_HOLD_MS = 5_000;
/** Events read ahead of storage per session; past this the stream is not read until a batch is stored. */
const MAX_UNSTORED_EVENTS = 1_000;
/** The provider is idle with a turn still to come: the first wait before asking again, and the longest. */
export const IDLE_FIRST_WAIT_MS = 250;
export const IDLE_MAX_WAIT_MS = 10_000;

/**
 * This process is stopping while the session waits on its provider: the run gives its job back to the queue rather
 * than keep the stop waiting (a Self-hosted runtime may take hours). Another worker, or the next start, resumes it
 * where it stopped; nothing is lost because every event is stored before it is acted on.
 */
export class SessionHandedBack extends Error {
  constructor() {
    super('this process is stopping; the session goes on in another worker');
  }
}

/**
 * The last attempt of a run failed for a reason Baton did not foresee: end the session as failed with a
 * reference people can quote, instead of leaving a card that says "Working" forever.
 */
export async function abandonSession(deps: SessionDeps, sessionId: string, ref: string): Promise<void> {
  const ctx = await loadRun(deps, sessionId);
  if (!ctx || isFinished(ctx.session.status)) return;
  await failSession(deps, ctx, `Something went wrong in Baton (ref ${ref}).`);
}

/**
 * Runs one session from its card to its final answer. Every step is safe to repeat, so a worker that dies
 * mid-session is replaced by one that picks up here: the card and thread posts are keyed, the provider session is
 * found again rather than made twice, and events stored but not yet acted on are acted on now.
 */
export async function runSession(
  deps: SessionDeps,
  sessionId: string,
  { hasSign = false }: { hasSign?: boolean } = {},
): Promise<void> {
  // Until its card is up a person waits for a sign: foreground work, ahead of other sessions' event storage. A run
  // whose person has a sign already (👀, or the card), and its agent's start, wait instead (a few seconds at most)
  // for other mentions' first signs.
  const opening = hasSign
    ? await deps.foreground.whenClear(PROVIDER_START_HOLD_MS).then(() => openRun(deps, sessionId))
    : await deps.foreground.run(() => openRun(deps, sessionId));
  if (!opening) return;
  // Its worker died after recording the end: what follows it (up to the final card reaching Slack) waits on budgets.
  if ('ended' in opening) return finishAgain(deps, opening.ended);
  const { unhandled, ...ctx } = opening;
  if (ctx.session.isStopRequested && !ctx.session.providerSessionId) return finishSession(deps, ctx);
  // Its card is up: under a burst of mentions, the others' first signs go before this agent is started (a run whose
  // person had a sign has waited for them already).
  if (!ctx.session.providerSessionId && !hasSign) await deps.foreground.whenClear(PROVIDER_START_HOLD_MS);
  const opened = await openProvider(deps, ctx);
  if (isProblem(opened)) return failSession(deps, ctx, opened.problem);
  ctx.provider = opened;
  if (!ctx.session.providerSessionId) {
    const running = await deps.sessions.countRunning(ctx.session.teamId);
    if (running >= deps.maxActiveSessions)
      return failSession(
        deps,
        ctx,
        `this workspace already has ${running} sessions running, the most Baton allows at once; wait for one to finish.`,
      );
  }

  try {
    // A worker that died after storing events but before acting on them left this to do.
    if (unhandled.length > 0) await onEvents(deps, ctx, unhandled);
    if (!ctx.session.providerSessionId) {
      await startPatiently(deps, ctx, opened);
      if ((await deps.sessions.get(ctx.session.id))?.isStopRequested) {
        // Stop was pressed while the provider session was being made: it does no work.
        await opened.interrupt(ctx.session.providerSessionId!);
        return await finishSession(deps, ctx);
      }
    }
    // Stopped before the session settles, so a token is never renewed after it was revoked.
    const stopRenewal = keepGitHubTokenFresh(deps, ctx, opened);
    try {
      await sendFollowUps(deps, ctx.session.id, opened);
      await setStatus(
        deps,
        ctx,
        ctx.progress.isPausedOnBudget ? 'paused' : ctx.progress.pending.length > 0 ? 'awaiting_input' : 'running',
      );
      await consume(deps, ctx, opened);
    } finally {
      await stopRenewal();
    }
  } catch (error) {
    if (error instanceof CodeHostError) return failSession(deps, ctx, error.message);
    if (!(error instanceof ProviderError)) throw error;
    metrics.providerErrors.inc({ provider: ctx.session.provider, kind: error.kind });
    // The provider's own error (its secrets scrubbed) says more than the sentence people read.
    deps.log.warn({ event: 'session.provider_failed', kind: error.kind, err: error });
    return failSession(deps, ctx, error.message);
  }
  await finishSession(deps, ctx);
}

/**
 * `start`, asked again while the provider cannot be reached (a dropped connection, a timeout), a little later each
 * time: `start` is safe to repeat, since an attempt that did reach the provider is found instead of made twice.
 */
async function startPatiently(deps: SessionDeps, ctx: RunContext, provider: ProviderConnection): Promise<void> {
  for (let retries = 0; ; retries++) {
    if (deps.stopping.aborted) throw new SessionHandedBack();
    try {
      return await start(deps, ctx, provider);
    } catch (error) {
      if (!(error instanceof ProviderError) || error.kind !== 'network' || retries >= START_RETRIES) throw error;
      deps.log.warn({ event: 'session.start.retry', retries: retries + 1, kind: error.kind });
      await pause(deps, 1_000 * 2 ** retries);
    }
  }
}

/**
 * Makes the provider session once: the intent is recorded first, so a run that resumes after a crash between the
 * create and its record asks the provider to find what it made instead of making a second one.
 */
async function start(deps: SessionDeps, ctx: RunContext, provider: ProviderConnection): Promise<void> {
  const { session, bot } = ctx;
  const attempts = Number(session.providerState.startAttempts ?? 0);
  const intent = { ...session.providerState, startAttempts: String(attempts + 1) };
  await deps.sessions.update(session.id, { providerState: intent });
  ctx.session = { ...ctx.session, providerState: intent };
  const config = ctx.config!;
  // The MCP token carries the resolved tool mode: a channel rule can hold a Full bot to Basic.
  const token = await deps.mcpTokens.issue(session, { ...bot, toolMode: config.toolMode.value });
  const apiToken = await deps.mcpTokens.issueDirectApi(session, bot);
  const guidance = config.guidance.value;
  // Only providers that mount repositories with Baton's tokens (and can renew them) get one.
  const github = provider.renewGitHubToken ? await deps.github?.issue(session, config.repositories.value) : undefined;
  const task = await deps.taskMessage(session, bot, guidance);
  const started = await provider.start({
    session,
    bot,
    task,
    guidance,
    config,
    mcp: { url: deps.mcpUrl, token },
    directApi: apiToken ? { url: deps.apiUrl, token: apiToken } : undefined,
    github,
    isRetry: attempts > 0,
  });
  const providerState = { ...intent, ...started.state };
  await deps.sessions.update(session.id, { providerSessionId: started.providerSessionId, providerState });
  ctx.session = { ...ctx.session, providerSessionId: started.providerSessionId, providerState };
}

async function setStatus(deps: SessionDeps, ctx: RunContext, status: Session['status']): Promise<void> {
  if (ctx.session.status === status) return;
  await deps.sessions.update(ctx.session.id, { status });
  ctx.session = { ...ctx.session, status };
  await redraw(deps, ctx);
}

async function redraw(deps: SessionDeps, ctx: RunContext): Promise<void> {
  if (!ctx.session.cardTs) return;
  const card = lazyCard(ctx.session, ctx.bot, ctx.progress, ctx.spend);
  await deps.writer.updateCard(ctx.team, ctx.session.channelId, ctx.session.cardTs, card, false);
}

/** Stores and handles events until no asked turn is left running; a broken stream is reopened (nothing is lost). */
async function consume(deps: SessionDeps, ctx: RunContext, provider: ProviderConnection): Promise<void> {
  let reconnects = 0;
  let idleWaitMs = 0;
  for (;;) {
    if (deps.stopping.aborted) throw new SessionHandedBack();
    const lastEventId = ctx.lastEventId;
    try {
      await drain(deps, ctx, provider);
    } catch (error) {
      if (deps.stopping.aborted) throw new SessionHandedBack();
      // Reading again loses nothing (events are stored by id), so a broken stream or an unreachable provider is
      // waited out a while, past the SDK's own retries, before the session fails.
      if (!isReadFailure(error) || ++reconnects > STREAM_RECONNECTS) throw error;
      deps.log.warn({ event: 'session.stream.reconnect', reconnects, kind: error.kind });
      await pause(deps, Math.min(500 * 2 ** reconnects, 10_000));
      continue;
    }
    // A follow-up asked for another turn: keep listening until every asked turn has ended.
    const latest = (await deps.sessions.get(ctx.session.id)) ?? ctx.session;
    ctx.session = { ...ctx.session, followUpsAsked: latest.followUpsAsked, isStopRequested: latest.isStopRequested };
    if (ctx.progress.isTerminated || latest.isStopRequested || isLastTurn(ctx)) return;
    // The provider is at rest but a turn Baton asked for has not started yet: ask again at once after news, else
    // wait longer each time, so an idle provider is not listed and streamed in a tight loop.
    idleWaitMs =
      ctx.lastEventId !== lastEventId ? 0 : Math.min(Math.max(idleWaitMs * 2, IDLE_FIRST_WAIT_MS), IDLE_MAX_WAIT_MS);
    if (idleWaitMs > 0) {
      const { turnStarts: started, turnEnds: ended } = ctx.progress;
      deps.log.debug({ event: 'session.idle_wait', waitMs: idleWaitMs, started, asked: latest.followUpsAsked, ended });
      await pause(deps, idleWaitMs);
    }
  }
}

const isReadFailure = (error: unknown): error is ProviderError =>
  error instanceof ProviderError && (error.kind === 'stream' || error.kind === 'network');

/**
 * Every turn asked for has ended: the session ends once its answer is posted. The provider may echo a queued
 * follow-up only when its turn starts, so this counts what Baton sent, not only what came back.
 */
const isLastTurn = (ctx: RunContext): boolean =>
  ctx.progress.turnEnds >= Math.max(ctx.progress.turnStarts, 1 + ctx.session.followUpsAsked);

/** Waits, unless this process starts stopping meanwhile. */
function pause(deps: SessionDeps, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      deps.stopping.removeEventListener('abort', done);
      resolve();
    };
    deps.stopping.addEventListener('abort', done, { once: true });
    void deps.sleep(ms).then(done);
  });
}

/**
 * Reads the provider's events in the background and stores them in batches: whatever arrived while the previous
 * batch was being written goes in the next one (shared with other sessions, see appendEvents), so a fast stream
 * costs a share of a statement per batch, not a transaction per event. A reader far ahead of storage pauses.
 */
async function drain(deps: SessionDeps, ctx: RunContext, provider: ProviderConnection): Promise<void> {
  const abort = new AbortController();
  const pending: BatonEvent[] = [];
  let wake: (() => void) | undefined;
  let room: (() => void) | undefined;
  let isDone = false;
  let failure: unknown;
  const from = { lastEventId: ctx.lastEventId, seen: ctx.seen };
  const stop = () => abort.abort();
  deps.stopping.addEventListener('abort', stop, { once: true });
  const reader = (async () => {
    try {
      for await (const event of provider.events(ctx.session.providerSessionId!, from, abort.signal)) {
        pending.push(event);
        wake?.();
        if (pending.length >= MAX_UNSTORED_EVENTS && !abort.signal.aborted) {
          await new Promise<void>((resolve) => (room = resolve));
        }
      }
    } catch (error) {
      failure = error;
    } finally {
      isDone = true;
      wake?.();
    }
  })();
  try {
    while (!isDone || pending.length > 0) {
      if (pending.length === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      // Mentions waiting for their first sign go first; what arrives meanwhile joins this batch.
      await deps.foreground.whenClear();
      const batch = pending.splice(0);
      room?.();
      room = undefined;
      const fresh = await deps.sessions.appendEvents(ctx.session.id, batch);
      if (fresh.length === 0) continue;
      observeStoredEvents(ctx.session.provider, fresh);
      for (const event of fresh) ctx.seen.add(event.id);
      ctx.lastEventId = fresh.at(-1)!.id;
      await onEvents(deps, ctx, fresh);
    }
  } finally {
    deps.stopping.removeEventListener('abort', stop);
    abort.abort();
    room?.();
    await reader;
  }
  if (failure) throw failure;
}

/**
 * Acts on stored events in order (approval prompts, status, answers), then marks them handled and redraws the card
 * once. Every action is keyed, so replaying events a dead worker stored but never marked does nothing twice.
 */
async function onEvents(deps: SessionDeps, ctx: RunContext, events: StoredEvent[]): Promise<void> {
  for (const event of events) {
    ctx.progress = step(ctx.progress, event);
    if (ctx.session.status === 'paused' && !ctx.progress.isPausedOnBudget) {
      // Someone raised the limit (Continue): the card shows the new one.
      ctx.spend = (await deps.spend.get(ctx.session.id)) ?? ctx.spend;
      await setStatus(deps, ctx, 'running');
    }
    if (ctx.progress.isPausedOnBudget) {
      // The limit was reached: the turn waits, the card says so and offers Continue.
      if (event.kind === 'turn_ended') await setStatus(deps, ctx, 'paused');
    } else if (event.kind === 'approval_needed' && ctx.progress.pending.length > 0) {
      await setStatus(deps, ctx, 'awaiting_input');
      for (const pending of ctx.progress.pending) await postConfirmation(deps, ctx, pending);
    } else if (event.kind === 'approval_answered' && ctx.session.status === 'awaiting_input') {
      if (ctx.progress.pending.length === 0) await setStatus(deps, ctx, 'running');
    } else if (event.kind === 'turn_started' && ctx.progress.turnStarts > 1) {
      ctx.session = { ...ctx.session, ...(await deps.sessions.get(ctx.session.id)) };
    } else if (event.kind === 'error' && event.errorKind === 'repository') {
      await postCloneFailure(deps, ctx, event);
    } else if (event.kind === 'turn_ended') {
      if (isLastTurn(ctx) && ctx.session.cardTs) {
        deps.writer.expectFinal(ctx.team, ctx.session.channelId, ctx.session.cardTs);
      }
      await postAnswer(deps, ctx);
      if (ctx.progress.turnEnds > 1)
        await deps.sessions.recordFollowUpsAnswered(ctx.session.id, ctx.progress.turnEnds - 1);
    }
  }
  if (events.some((e) => e.kind === 'usage')) {
    const { costUsd, inputTokens, outputTokens } = ctx.progress.usage;
    await deps.spend.recordUsage(ctx.session.id, { costUsd, inputTokens, outputTokens });
  }
  await deps.sessions.markHandled(ctx.session.id, events.at(-1)!.seq);
  await redraw(deps, ctx);
}
