import type { ControlSession } from '../../jobs/definitions';
import { escapeMrkdwn, section } from '../views/blocks';
import { renderCard } from './card';
import type { SessionDeps } from './deps';
import { sendPendingFollowUps } from './follow-ups';
import { reduceEvents } from './reduce';

/** Stop, Approve/Deny (or the timeout's deny), and follow-ups, sent to the running provider session. */
export async function controlSession(deps: SessionDeps, job: ControlSession): Promise<void> {
  const session = await deps.sessions.get(job.sessionId);
  if (!session || ['done', 'failed', 'stopped'].includes(session.status)) return;
  const bot = await deps.stores.bots.get(session.teamId, session.botId);
  const connection = bot ? await deps.stores.connections.get(bot.id) : undefined;
  const apiKey = connection?.keyId ? await deps.stores.keys.reveal(session.teamId, connection.keyId) : undefined;
  const team = { teamId: session.teamId, enterpriseId: session.enterpriseId ?? undefined };
  const { action } = job;

  if (action.type === 'stop') {
    await deps.sessions.update(session.id, { isStopRequested: true });
    if (apiKey && session.providerSessionId) await deps.provider.interrupt(apiKey, session.providerSessionId);
    return;
  }
  if (action.type === 'follow_up') {
    // Stored first, so a follow-up that arrives before the provider session exists is sent by the run once it does.
    await deps.followUps.add(session.id, { messageTs: action.messageTs, userId: job.userId, text: action.text });
    const current = await deps.sessions.get(session.id);
    if (!apiKey || !bot || !current?.providerSessionId || !current.providerState.sent) return;
    const providerSessionId = current.providerSessionId;
    const sent = await sendPendingFollowUps(deps.followUps, session.id, (text) =>
      deps.provider.sendMessage(apiKey, providerSessionId, text),
    );
    if (sent === 0) return;
    const followUps = String(await deps.followUps.sentCount(session.id));
    await deps.sessions.mergeProviderState(session.id, { followUps });
    if (current.cardTs) {
      const shown = { ...current, providerState: { ...current.providerState, followUps } };
      const card = renderCard(shown, bot, connection, await deps.sessions.events(session.id));
      await deps.writer.updateCard(team, session.channelId, current.cardTs, card, false);
    }
    return;
  }
  if (!apiKey || !session.providerSessionId || !bot) return;

  const pending = reduceEvents(await deps.sessions.events(session.id)).pending;
  if (!pending.some((p) => p.toolUseId === action.toolUseId)) return;
  const verdict = action.isTimeout
    ? 'Denied: nobody answered in time.'
    : `${action.allow ? 'Approved' : 'Denied'} by <@${job.userId}>.`;
  await deps.provider.confirmTool(
    apiKey,
    session.providerSessionId,
    action.toolUseId,
    action.allow,
    action.allow
      ? undefined
      : action.isTimeout
        ? 'No one approved this in time.'
        : 'A person in the Slack thread denied this.',
  );
  const ts = await deps.sessions.postTs(session.id, `confirm-${action.toolUseId}`);
  if (ts) {
    const client = await deps.slack.forTeam(team);
    const text = `${escapeMrkdwn(bot.displayName)} asked to run a tool. ${verdict}`;
    await client.chat.update({ channel: session.channelId, ts, text, blocks: [section(text)] });
  }
}
