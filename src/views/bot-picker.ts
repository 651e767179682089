import type { KnownBlock } from '@slack/types';
import { clip, section } from './blocks';
import { button } from './elements';
import { ACTION } from './ids';

export interface PickTarget {
  channel: string;
  threadTs: string;
  messageTs: string;
}

/** Ephemeral "which bot?" after an ambiguous mention; each button starts a session with that bot. */
export function buildBotPicker(bots: Array<{ id: string; name: string }>, target: PickTarget): KnownBlock[] {
  const value = (botId: string) =>
    JSON.stringify({ b: botId, c: target.channel, t: target.threadTs, m: target.messageTs });
  return [
    section('Which bot should take this? Next time, name it: `@Baton <bot name> <task>`.'),
    {
      type: 'actions',
      block_id: 'pick_bot',
      // action_id must be unique within a block; the handler matches the prefix.
      elements: bots.slice(0, 25).map((bot, i) => button(clip(bot.name, 75), `${ACTION.pickBot}.${i}`, value(bot.id))),
    },
  ];
}
