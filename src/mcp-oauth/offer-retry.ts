import type { SessionRepository } from '../../models/sessions';
import type { BotStores } from '../bots/deps';
import type { SessionChat } from '../ports/session-chat';
import { personaOf } from '../sessions/persona';
import { escapeMrkdwn, section } from '../views/blocks';
import { button } from '../views/elements';
import { ACTION } from '../views/ids';
import type { Reconnected } from './sign-in';

/**
 * After a Reconnect pressed on a failed session: say so in its thread, as its bot, and offer Retry there. The offer
 * is keyed to the session and server, so signing in twice does not offer it twice.
 */
export async function offerRetry(
  writer: Pick<SessionChat, 'postMessages'>,
  sessions: Pick<SessionRepository, 'get'>,
  stores: Pick<BotStores, 'bots'>,
  done: Reconnected,
): Promise<void> {
  const session = await sessions.get(done.sessionId);
  if (!session || session.teamId !== done.teamId) return;
  const bot = await stores.bots.get(done.teamId, done.botId);
  if (!bot) return;
  const text = `<@${done.userId}> reconnected *${escapeMrkdwn(done.serverName)}* for *${escapeMrkdwn(bot.name)}*. Retry the session?`;
  const thread = {
    team: { teamId: session.teamId, enterpriseId: session.enterpriseId ?? undefined },
    sessionId: session.id,
    channel: session.channelId,
    threadTs: session.threadTs,
  };
  await writer.postMessages(thread, `reconnected-${done.serverName}`, personaOf(bot), [
    {
      text,
      blocks: [
        section(text),
        { type: 'actions', elements: [button('Retry', ACTION.retrySession, session.id, { style: 'primary' })] },
      ],
    },
  ]);
}
