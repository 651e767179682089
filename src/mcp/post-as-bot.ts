import type { Bot } from '../domain/bots';
import { personaOf } from '../sessions/persona';
import { markdownToSlack } from '../views/markdown';
import type { OpContext } from './operation';
import { slackCall } from './errors';

/**
 * Agent Markdown as the bot (its display name and icon), as Slack formatting with pings defused, for posts outside a
 * session's own thread; they go through the SessionChat like every other write (posts in the session's thread
 * are keyed to it instead). A long text becomes several messages; returns the first one's ts.
 */
export function postAsBot(
  { deps, caller }: Pick<OpContext, 'deps' | 'caller'>,
  message: { channel: string; text: string; threadTs?: string | undefined },
): Promise<string | undefined> {
  const bot: Pick<Bot, 'displayName' | 'icon'> = caller.bot;
  const messages = slackMessages(message.text, bot.displayName);
  return slackCall(deps.writer.postOutside(caller.team, message.channel, message.threadTs, personaOf(bot), messages));
}

// Slack reads `text` aloud and shows it in notifications; a message made only of blocks still needs some.
export const slackMessages = (markdown: string, botName: string) =>
  markdownToSlack(markdown).map((m) => ({ ...m, text: m.text || `Message from ${botName}` }));
