import type { SessionRepository } from '../../models/sessions';
import type { BotStores } from '../bots/deps';
import type { SlackClients } from '../ports/slack-clients';
import { escapeMrkdwn, section } from '../views/blocks';
import { button } from '../views/elements';
import { ACTION } from '../views/ids';
import type { Reconnected } from './sign-in';

/** After a Reconnect pressed on a failed session: say so in its thread and offer Retry there. */
export async function offerRetry(
  slack: SlackClients,
  sessions: Pick<SessionRepository, 'get'>,
  stores: Pick<BotStores, 'bots'>,
  done: Reconnected,
): Promise<void> {
  const session = await sessions.get(done.sessionId);
  if (!session || session.teamId !== done.teamId) return;
  const bot = await stores.bots.get(done.teamId, done.botId);
  const client = await slack.forTeam({ teamId: session.teamId, enterpriseId: session.enterpriseId ?? undefined });
  const text = `<@${done.userId}> reconnected *${escapeMrkdwn(done.serverName)}* for *${escapeMrkdwn(bot?.name ?? 'the bot')}*. Retry the session?`;
  await client.chat.postMessage({
    channel: session.channelId,
    thread_ts: session.threadTs,
    text,
    blocks: [
      section(text),
      { type: 'actions', elements: [button('Retry', ACTION.retrySession, session.id, { style: 'primary' })] },
    ],
  });
}
