import type { ModalView, PlainTextOption } from '@slack/types';
import type { Bot } from '../domain/bots';
import { clip, context, section } from './blocks';
import { modal, plainInput, plainText } from './elements';
import { INPUT, VALUE, VIEW } from './ids';

export interface AssignMetadata {
  channel: string;
  threadTs: string;
  messageTs: string;
}

/** "Assign to bot" on a message: pick the bot and optionally add instructions. */
export function buildAssignModal(bots: Bot[], target: AssignMetadata): ModalView {
  if (bots.length === 0) {
    return modal(
      VIEW.assign,
      'Assign to bot',
      [section('There are no bots yet. An admin can create one with `/baton bots`.')],
      {
        close: 'Close',
      },
    );
  }
  const option = (bot: Bot): PlainTextOption => ({
    text: plainText(clip(`${bot.name} (${bot.displayName})`, 75)),
    value: bot.id,
    ...(bot.description ? { description: plainText(clip(bot.description, 75)) } : {}),
  });
  return modal(
    VIEW.assign,
    'Assign to bot',
    [
      {
        type: 'input',
        block_id: INPUT.bot,
        label: plainText('Bot'),
        element: {
          type: 'static_select',
          action_id: VALUE,
          options: bots.slice(0, 100).map(option),
          ...(bots.length === 1 ? { initial_option: option(bots[0]!) } : {}),
        },
      },
      plainInput(INPUT.instructions_extra, 'Extra instructions', {
        optional: true,
        multiline: true,
        maxLength: 3000,
        placeholder: 'Anything the bot should know beyond the thread',
      }),
      context('The bot gets the whole thread as its task, and answers in it.'),
    ],
    { submit: 'Assign', privateMetadata: JSON.stringify(target) },
  );
}
