import { ignoreSlackErrors } from '../adapters/slack/errors';
import { escapeMrkdwn } from '../views/blocks';
import type { Bot } from '../domain/bots';
import type { ClaudeConnection } from '../domain/claude';
import type { Session, StoredEvent } from '../domain/sessions';
import { ProviderError, type ProviderEvent } from '../ports/agent-provider';
import type { TeamRef } from '../ports/slack-clients';
import { renderCard } from './card';
import type { SessionDeps } from './deps';
import { finishSession, failSession } from './finish';
import { personaOf } from './persona';
import { reduceEvents, slimEvent } from './reduce';
import { setThreadStatus } from './thread-status';
import { postConfirmation } from './confirmations';
import { sendPendingFollowUps } from './follow-ups';

const STREAM_RECONNECTS = 5;

/** Everything a run needs about its session, loaded once (and again after a reconnect). */
export interface RunContext {
  session: Session;
  bot: Bot;
  connection: ClaudeConnection | undefined;
  apiKey: string | undefined;
  team: TeamRef;
  events: StoredEvent[];
}

/**
 * The last attempt of a run failed for a reason Baton did not foresee: end the session as failed with a
 * reference people can quote, instead of leaving a card that says "Working" forever.
 */
export async function abandonSession(deps: SessionDeps, sessionId: string, ref: string): Promise<void> {
  const ctx = await load(deps, sessionId);
  if (!ctx || ['done', 'failed', 'stopped'].includes(ctx.session.status)) return;
  await failSession(deps, ctx, `Something went wrong in Baton (ref ${ref}).`);
}

async function load(deps: SessionDeps, sessionId: string): Promise<RunContext | undefined> {
  const session = await deps.sessions.get(sessionId);
  if (!session) return undefined;
  const bot = await deps.stores.bots.get(session.teamId, session.botId);
  if (!bot) return undefined;
  const connection = await deps.stores.connections.get(bot.id);
  const apiKey = connection?.keyId ? await deps.stores.keys.reveal(session.teamId, connection.keyId) : undefined;
  const team = { teamId: session.teamId, enterpriseId: session.enterpriseId ?? undefined };
  return { session, bot, connection, apiKey, team, events: (await deps.sessions.events(session.id)).map(slimEvent) };
}

/**
 * Runs one session from its card to its final answer. Every step is safe to repeat, so a worker that dies
 * mid-session is replaced by one that picks up here: the card and thread posts are keyed, the provider session is
 * made once, the task is sent once, and events already stored are skipped.
 */
export async function runSession(deps: SessionDeps, sessionId: string): Promise<void> {
  const ctx = await load(deps, sessionId);
  if (!ctx || ['done', 'failed', 'stopped'].includes(ctx.session.status)) return;
  const { session, bot, team } = ctx;
  const persona = personaOf(bot);
  const card = () => renderCard(ctx.session, bot, ctx.connection, ctx.events);

  if (!session.cardTs) {
    const client = await deps.slack.forTeam(team);
    await ignoreSlackErrors(['already_reacted', 'message_not_found'], () =>
      client.reactions.add({ channel: session.channelId, timestamp: session.triggerTs, name: 'eyes' }),
    );
    const cardTs = await deps.writer.postCard(team, session.id, session.channelId, session.threadTs, persona, card());
    const title = session.task || `${bot.displayName} in this thread`;
    await setThreadStatus(
      client,
      deps.log,
      { channel: session.channelId, threadTs: session.threadTs, title, initiatorId: session.requesterId },
      'working',
      `${bot.displayName} is working…`,
    );
    await deps.sessions.update(session.id, { cardTs });
    ctx.session = { ...ctx.session, cardTs };
  }
  const problem = preconditionProblem(ctx);
  if (problem || !ctx.apiKey) return failSession(deps, ctx, problem ?? 'No API key.');
  const apiKey = ctx.apiKey;

  try {
    if (!ctx.session.providerSessionId) {
      await setStatus(deps, ctx, 'starting');
      const token = await deps.mcpTokens.issue(ctx.session, bot);
      const apiToken = await deps.mcpTokens.issueDirectApi(ctx.session, bot);
      const started = await deps.provider.start({
        sessionId: session.id,
        teamId: session.teamId,
        botId: bot.id,
        botName: bot.name,
        apiKey,
        connection: ctx.connection!,
        mcp: { url: deps.mcpUrl, token },
        directApi: apiToken ? { url: deps.apiUrl, token: apiToken } : undefined,
      });
      await deps.sessions.update(session.id, {
        providerSessionId: started.providerSessionId,
        providerState: started.state,
      });
      ctx.session = { ...ctx.session, providerSessionId: started.providerSessionId, providerState: started.state };
    }
    const providerSessionId = ctx.session.providerSessionId!;
    if (!ctx.session.providerState.sent) {
      await deps.provider.sendMessage(apiKey, providerSessionId, await deps.taskMessage(ctx.session, bot));
      const providerState = { ...ctx.session.providerState, sent: '1' };
      await deps.sessions.update(session.id, { providerState });
      ctx.session = { ...ctx.session, providerState };
    }
    // Replies that came while the session was queued or starting follow the task, in order.
    const sent = await sendPendingFollowUps(deps.followUps, session.id, (text) =>
      deps.provider.sendMessage(apiKey, providerSessionId, text),
    );
    if (sent > 0) {
      const followUps = String(await deps.followUps.sentCount(session.id));
      await deps.sessions.mergeProviderState(session.id, { followUps });
      ctx.session = { ...ctx.session, providerState: { ...ctx.session.providerState, followUps } };
    }
    await setStatus(deps, ctx, 'running');
    await consume(deps, ctx, apiKey, providerSessionId);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return failSession(deps, ctx, error.message);
  }
  await finishSession(deps, ctx);
}

function preconditionProblem({ bot, connection, apiKey }: RunContext): string | undefined {
  if (bot.type !== 'claude') return `${bot.name} is not connected to an agent yet. Ask an admin to configure it.`;
  if (!connection?.keyId || !apiKey) return `${bot.name} has no API key. Ask an admin to open its Agent connection.`;
  if (!connection.agentId || !connection.environmentId) {
    return `${bot.name} has no agent or environment yet. Ask an admin to finish its Agent connection.`;
  }
  return undefined;
}

async function setStatus(deps: SessionDeps, ctx: RunContext, status: Session['status']): Promise<void> {
  if (ctx.session.status === status) return;
  await deps.sessions.update(ctx.session.id, { status });
  ctx.session = { ...ctx.session, status };
  await deps.writer.updateCard(
    ctx.team,
    ctx.session.channelId,
    ctx.session.cardTs!,
    renderCard(ctx.session, ctx.bot, ctx.connection, ctx.events),
    false,
  );
}

/** Stores and shows events until no turn is left running; a broken stream is reopened (nothing is lost). */
async function consume(deps: SessionDeps, ctx: RunContext, apiKey: string, providerSessionId: string): Promise<void> {
  let reconnects = 0;
  for (;;) {
    try {
      await drain(deps, ctx, apiKey, providerSessionId);
    } catch (error) {
      if (!(error instanceof ProviderError) || error.kind !== 'stream' || ++reconnects > STREAM_RECONNECTS) throw error;
      deps.log.warn({ event: 'session.stream.reconnect', sessionId: ctx.session.id, reconnects });
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** reconnects, 10_000)));
      continue;
    }
    const progress = reduceEvents(ctx.events);
    // A follow-up queued another turn: keep listening until every asked turn has ended. The provider may echo a
    // queued message only when its turn starts, so count what Baton sent, not only what came back.
    const followUps = await deps.followUps.sentCount(ctx.session.id);
    const asked = Math.max(progress.userMessages, 1 + followUps);
    if (progress.isTerminated || asked <= progress.turnEnds) return;
  }
}

/**
 * Reads the provider's events in the background and stores them in batches: whatever arrived while the previous
 * batch was being written goes in the next one, so a fast stream costs one transaction per batch, not per event.
 */
async function drain(deps: SessionDeps, ctx: RunContext, apiKey: string, providerSessionId: string): Promise<void> {
  const seen = new Set(ctx.events.map((e) => e.providerEventId));
  const abort = new AbortController();
  const pending: ProviderEvent[] = [];
  let wake: (() => void) | undefined;
  let isDone = false;
  let failure: unknown;
  const reader = (async () => {
    try {
      for await (const event of deps.provider.events(apiKey, providerSessionId, seen, abort.signal)) {
        pending.push(event);
        wake?.();
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
      const batch = pending.splice(0).map((event, i) => ({
        providerEventId: event.id || `local-${Date.now()}-${ctx.events.length + i}`,
        type: event.type,
        payload: event.payload,
      }));
      const fresh = await deps.sessions.appendEvents(ctx.session.id, batch);
      if (fresh.length === 0) continue;
      const slim = fresh.map(slimEvent);
      ctx.events.push(...slim);
      await onEvents(deps, ctx, slim);
    }
  } finally {
    abort.abort();
    await reader;
  }
  if (failure) throw failure;
}

/** Reacts to a batch of newly stored events: approvals, status changes, answers, then one card redraw. */
async function onEvents(deps: SessionDeps, ctx: RunContext, fresh: StoredEvent[]): Promise<void> {
  const upTo = (event: StoredEvent) => reduceEvents(ctx.events.filter((e) => e.seq <= event.seq));
  for (const event of fresh) {
    if (event.type === 'user.message' && ctx.events.filter((e) => e.type === 'user.message').length > 1) {
      // A follow-up reached the agent: pick up what the control job recorded, so the card can say so.
      ctx.session = (await deps.sessions.get(ctx.session.id)) ?? ctx.session;
    } else if (event.type === 'session.status_running' && ctx.session.status === 'awaiting_input') {
      await setStatus(deps, ctx, 'running');
    } else if (event.type === 'session.status_idle') {
      const progress = upTo(event);
      if (progress.pending.length > 0) {
        await setStatus(deps, ctx, 'awaiting_input');
        for (const pending of progress.pending) await postConfirmation(deps, ctx, pending);
      } else if (progress.answer) {
        // Each finished turn answers in the thread once, whichever worker is running it.
        const { session, bot, team } = ctx;
        const key = `answer-${progress.turnEnds}`;
        const text = escapeMrkdwn(progress.answer);
        await deps.writer.post(team, session.id, key, session.channelId, session.threadTs, personaOf(bot), text);
      }
    }
  }
  const card = renderCard(ctx.session, ctx.bot, ctx.connection, ctx.events);
  await deps.writer.updateCard(ctx.team, ctx.session.channelId, ctx.session.cardTs!, card, false);
}
