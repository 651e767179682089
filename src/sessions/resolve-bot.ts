import type { Bot } from '../domain/bots';

export type BotChoice =
  | { kind: 'bot'; bot: Bot; task: string; isNamed: boolean }
  | { kind: 'ambiguous'; bots: Bot[]; task: string }
  | { kind: 'none'; task: string };

/**
 * Which bot a mention asks for: `@Baton <bot name> <task>`; without a name, the channel's default bot, or the
 * workspace's only bot; otherwise the person picks.
 */
export function chooseBot(bots: Bot[], words: string, defaultBotId?: string | null): BotChoice {
  const [first = '', ...rest] = words.trim().split(/\s+/);
  const named = bots.find((bot) => bot.name.toLowerCase() === first.replace(/^@/, '').toLowerCase());
  if (named) return { kind: 'bot', bot: named, task: rest.join(' '), isNamed: true };
  const task = words.trim();
  const fallback = bots.find((bot) => bot.id === defaultBotId) ?? (bots.length === 1 ? bots[0] : undefined);
  if (fallback) return { kind: 'bot', bot: fallback, task, isNamed: false };
  return bots.length === 0 ? { kind: 'none', task } : { kind: 'ambiguous', bots, task };
}
