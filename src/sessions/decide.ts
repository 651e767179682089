import type { Bot } from '../domain/bots';
import type { Session } from '../domain/sessions';
import { chooseBot } from './resolve-bot';

/** Where a trigger came from: words typed to Baton, a reply in a busy thread, or a bot chosen explicitly. */
export type TriggerSource = 'mention' | 'dm' | 'reply' | 'assignment' | 'pick' | 'retry';

export interface TriggerInput {
  source: TriggerSource;
  /** What the person wrote, without the mention of Baton. */
  words: string;
  /** The bot chosen explicitly (assignment, picker, Retry). */
  botId?: string | undefined;
}

export interface DecisionContext {
  bots: Bot[];
  defaultBotId: string | null;
  /** Sessions not finished in the thread, newest first. */
  active: Session[];
}

export type Decision =
  | { kind: 'ping' }
  | { kind: 'no_bots' }
  | { kind: 'bot_gone' }
  | { kind: 'ignore' }
  | { kind: 'pick'; bots: Bot[]; task: string }
  | { kind: 'follow_up'; session: Session; text: string }
  | { kind: 'start'; bot: Bot; task: string };

const wordsOf = (words: string) => words.split(/\s+/).filter(Boolean);

/** Words that are a ping unless their first one names a bot (which only the bots list tells). */
export const mayBePing = (words: string): boolean => wordsOf(words).length <= 3 && /\bping\b/i.test(words);

/**
 * A mention at the top of a thread (no session can be running there) whose words cannot be a ping: it hands work to
 * a bot, or asks which, so the person can be told "I heard you" before anything is read.
 */
export const isSurelyWork = (t: { source: TriggerSource; threadTs: string; messageTs: string; words: string }) =>
  t.source === 'mention' && t.threadTs === t.messageTs && !mayBePing(t.words);

/** `@Baton ping` (a short message with the word ping, naming no bot) checks Baton itself. */
function isPing(words: string, bots: Bot[]): boolean {
  const first = wordsOf(words)[0]?.toLowerCase() ?? '';
  return mayBePing(words) && !bots.some((bot) => bot.name.toLowerCase() === first);
}

/**
 * What a trigger does. A reply without a mention joins the newest active session in its thread (or the one whose
 * bot it names) and is otherwise ignored. A mention or DM checks Baton (`ping`), or goes to the bot it names, else
 * to the thread's active session, else to the channel's default bot or the only bot; with several and no hint, the
 * person picks. A bot that already runs in the thread gets the words as a follow-up instead of a second session.
 */
export function decide(input: TriggerInput, ctx: DecisionContext): Decision {
  const { bots, active } = ctx;
  const runningFor = (bot: Bot) => active.find((s) => s.botId === bot.id);
  const handTo = (bot: Bot, task: string): Decision => {
    const session = input.source === 'retry' ? undefined : runningFor(bot);
    return session ? { kind: 'follow_up', session, text: task } : { kind: 'start', bot, task };
  };

  if (input.botId !== undefined) {
    const bot = bots.find((b) => b.id === input.botId);
    return bot ? handTo(bot, input.words.trim()) : { kind: 'bot_gone' };
  }
  if (input.source === 'reply') {
    const [first = ''] = input.words.trim().split(/\s+/);
    const named = active.find((s) => bots.find((b) => b.id === s.botId)?.name.toLowerCase() === first.toLowerCase());
    const session = named ?? active[0];
    return session ? { kind: 'follow_up', session, text: input.words.trim() } : { kind: 'ignore' };
  }
  if (isPing(input.words, bots)) return { kind: 'ping' };
  const choice = chooseBot(bots, input.words, ctx.defaultBotId);
  if (choice.kind === 'bot' && choice.isNamed) return handTo(choice.bot, choice.task);
  // No bot named: the thread's own session comes before the channel's default.
  const current = active[0];
  if (current) return { kind: 'follow_up', session: current, text: input.words.trim() };
  if (choice.kind === 'bot') return handTo(choice.bot, choice.task);
  if (choice.kind === 'none') return { kind: 'no_bots' };
  return { kind: 'pick', bots: choice.bots, task: choice.task };
}
