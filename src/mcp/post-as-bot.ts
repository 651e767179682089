import type { WebClient } from '@slack/web-api';
import type { Bot } from '../domain/bots';
import { personaOf } from '../sessions/persona';
import { slackCall } from './errors';

/**
 * A message as the bot (its display name and icon), for posts outside a session's own thread; those go through
 * the SessionChat instead, which keys them to the session.
 */
export async function postAsBot(
  client: WebClient,
  bot: Pick<Bot, 'displayName' | 'icon'>,
  message: { channel: string; text: string; threadTs?: string | undefined },
): Promise<string | undefined> {
  const persona = personaOf(bot);
  const base = {
    channel: message.channel,
    text: message.text,
    mrkdwn: true,
    username: persona.username,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
  };
  const icon = persona.iconEmoji
    ? { icon_emoji: persona.iconEmoji }
    : persona.iconUrl
      ? { icon_url: persona.iconUrl }
      : {};
  const posted = await slackCall(client.chat.postMessage({ ...base, ...icon }));
  return posted.ts;
}
