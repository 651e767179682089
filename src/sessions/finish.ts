import { isFinished } from '../domain/sessions';
import { escapeMrkdwn, section } from '../views/blocks';
import { button } from '../views/elements';
import { ACTION } from '../views/ids';
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
  const { session } = ctx;
  // Its tokens die with the session: revoked before the session reads as finished, so none outlives it.
  await deps.mcpTokens.revokeForSession(session.id);
  await revokeGitHubToken(deps, session.id);
  if (!(await deps.sessions.finish(session.id, status, reason))) return;
  ctx.session = { ...session, status, statusReason: reason };
  await wrapUp(deps, ctx);
}

/**
 * A run found its session already ended: its worker died between recording the end and what follows it. Does that
 * again (each step is safe to repeat), so no card stays "Working" and nothing the session made is left behind. A
 * session refused before its card showed nothing and made nothing.
 */
export async function finishAgain(deps: SessionDeps, ctx: RunContext): Promise<void> {
  if (!ctx.session.cardTs) return;
  await deps.mcpTokens.revokeForSession(ctx.session.id);
  ctx.spend = (await deps.spend.get(ctx.session.id)) ?? undefined;
  await wrapUp(deps, ctx);
}

/** What follows the end: the failure note (posted once), the card, the thread status, clean-up, reactions. */
async function wrapUp(deps: SessionDeps, ctx: RunContext): Promise<void> {
  const { session: finished, bot, team } = ctx;
  const { status, statusReason: reason } = finished;
  if (!isFinished(status)) return;
  const session = finished;
  if (status === 'failed') {
    const reconnect = await reconnectOffer(deps, ctx);
    const text =
      `:x: *${bot.displayName}* could not finish: ${reason ?? 'unknown error'}\n` +
      (reconnect ? reconnect.text : 'Press *Retry* on the card to try again.');
    if (reconnect?.actions.length) {
      const thread = { team, sessionId: session.id, channel: session.channelId, threadTs: session.threadTs };
      await deps.writer.postMessages(thread, 'failure', personaOf(bot), [
        { text, blocks: [section(text), ...reconnect.actions] },
      ]);
    } else {
      await deps.writer.post(team, session.id, 'failure', session.channelId, session.threadTs, personaOf(bot), text);
    }
  }
  // The final card is queued first: the status and reactions below wait on budgets of their own.
  if (finished.cardTs) {
    await deps.writer.updateCard(
      team,
      session.channelId,
      finished.cardTs,
      renderCard(finished, bot, ctx.progress, ctx.spend),
      true,
    );
  }
  await deps.writer.setThreadStatus(team, session.channelId, session.threadTs, '');
  await cleanUp(deps, ctx);
  await deps.writer.settleReactions(team, session.channelId, session.triggerTs, {
    off: ['eyes'],
    on: REACTION[status],
  });
  // The run ends once the card's final state is on Slack, so a worker that dies before leaves the run to the next one.
  if (finished.cardTs) await deps.writer.finalCardSent(team, session.channelId, finished.cardTs);
  // A failure is the operator's business too: it says why, as the thread note does.
  if (status === 'failed') deps.log.warn({ event: 'session.finished', status, reason });
  else deps.log.info({ event: 'session.finished', status });
}

/** GitHub being unreachable does not keep a session from ending: its token expires within the hour anyway. */
async function revokeGitHubToken(deps: SessionDeps, sessionId: string): Promise<void> {
  try {
    await deps.github?.revokeForSession(sessionId);
  } catch (error) {
    deps.log.warn({ event: 'session.github_token.revoke_failed', sessionId, err: error });
  }
}

/**
 * A sign-in to one of the bot's MCP servers failed: the server is marked as needing a login, and the note offers
 * admins "Reconnect <server>" (which runs the sign-in, then offers Retry here).
 */
async function reconnectOffer(deps: SessionDeps, ctx: RunContext) {
  const name = ctx.progress.mcpSignInFailure;
  const server = name ? await deps.stores.mcpServers.findByName(ctx.bot.id, name) : undefined;
  if (!server) return undefined;
  if (server.authMode !== 'oauth') {
    await deps.stores.mcpServers.setState(server.id, 'failed', 'The server rejected the credential in a session.');
    return {
      text: `An admin can set a new token for *${escapeMrkdwn(server.name)}* in the bot's Agent connection, then retry.`,
      actions: [],
    };
  }
  await deps.stores.mcpServers.setState(server.id, 'needs_login', 'The sign-in failed in a session.');
  const label = `Reconnect ${server.name}`;
  return {
    text: `An admin can press *${escapeMrkdwn(label)}* to sign in again, then retry.`,
    actions: [
      {
        type: 'actions' as const,
        elements: [button(label, ACTION.reconnectMcp, `${ctx.session.id}|${server.id}`, { style: 'primary' })],
      },
    ],
  };
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
