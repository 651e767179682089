import type { ModalView } from '@slack/types';
import type { Bot } from '../domain/bots';
import { context, escapeMrkdwn } from './blocks';
import { modal, plainInput } from './elements';
import { INPUT, VIEW } from './ids';

export interface AskMetadata {
  botId: string;
}

/** "Ask agent": the admin says what the bot should do or what went wrong; nothing changes yet. */
export const buildAskModal = (bot: Bot): ModalView =>
  modal(
    VIEW.ask,
    'Ask agent',
    [
      plainInput(INPUT.ask, `What should ${bot.name} do differently?`, {
        multiline: true,
        maxLength: 3000,
        placeholder: 'e.g. It should answer in French and always link the docs it used',
      }),
      context(
        `Baton's assistant proposes instructions, model, tool mode and guidance for *${escapeMrkdwn(bot.name)}*. ` +
          'You see the changes first and apply the ones you want.',
      ),
    ],
    { submit: 'Ask', privateMetadata: JSON.stringify({ botId: bot.id } satisfies AskMetadata) },
  );
