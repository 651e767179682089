import type { WebClient } from '@slack/web-api';
import type { Bot } from '../domain/bots';
import { personaOf } from '../sessions/persona';
import { markdownToSlack } from '../views/markdown';
import { slackCall } from './errors';

/**
 * Agent Markdown as the bot (its display name and icon), as Slack formatting with pings defused, for posts outside a
 * session's own thread; those go through the SessionChat instead, which keys them to the session. A long text
 * becomes several messages; returns the first one's ts.
 */
export async function postAsBot(
  client: WebClient,
  bot: Pick<Bot, 'displayName' | 'icon'>,
  message: { channel: string; text: string; threadTs?: string | undefined },
): Promise<string | undefined> {
  const persona = personaOf(bot);
  const icon = persona.iconEmoji
    ? { icon_emoji: persona.iconEmoji }
    : persona.iconUrl
      ? { icon_url: persona.iconUrl }
      : {};
  let first: string | undefined;
  for (const part of slackMessages(message.text, bot.displayName)) {
    const posted = await slackCall(
      client.chat.postMessage({
        channel: message.channel,
        ...part,
        username: persona.username,
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        ...icon,
      }),
    );
    first ??= posted.ts;
  }
  return first;
}

// Slack reads `text` aloud and shows it in notifications; a message made only of blocks still needs some.
export const slackMessages = (markdown: string, botName: string) =>
  markdownToSlack(markdown).map((m) => ({ ...m, text: m.text || `Message from ${botName}` }));
