import type { KnownBlock } from '@slack/types';
import { clip, escapeMrkdwn, section } from './blocks';
import { button } from './elements';
import { ACTION } from './ids';

export interface PickTarget {
  /** Where the task the person typed waits for their choice. */
  pickId: string;
  channel: string;
  threadTs: string;
  messageTs: string;
}

/** Ephemeral "which bot?" after a mention that names none; each button hands the task to that bot. */
export function buildBotPicker(
  bots: Array<{ id: string; name: string }>,
  target: PickTarget,
  task: string,
): KnownBlock[] {
  const value = (botId: string) =>
    JSON.stringify({ p: target.pickId, b: botId, c: target.channel, t: target.threadTs, m: target.messageTs });
  const asked = task ? `\n>${escapeMrkdwn(clip(task, 300)).replace(/\n/g, '\n>')}` : '';
  return [
    section(`Which bot should take this? Next time, name it: \`@Baton <bot name> <task>\`.${asked}`),
    {
      type: 'actions',
      block_id: 'pick_bot',
      // action_id must be unique within a block; the handler matches the prefix.
      elements: bots.slice(0, 25).map((bot, i) => button(clip(bot.name, 75), `${ACTION.pickBot}.${i}`, value(bot.id))),
    },
  ];
}
