import type { Button, ModalView, PlainTextOption } from '@slack/types';
import type { Bot, BotType } from '../domain/bots';
import { BOT_TYPE_LABEL, BOT_TYPES } from '../domain/bots';
import { DESCRIPTION_MAX, DISPLAY_NAME_MAX, NAME_MAX } from './bot-form';
import { clip, context, escapeMrkdwn, section, type Blocks } from './blocks';
import { ACTION, INPUT, VALUE, VIEW } from './ids';
import { button, modal, plainInput, plainText } from './elements';

export interface BotModalInput {
  bot?: Bot;
  usage?: { sessions: number; channels: number };
}

const TYPE_HELP: Record<BotType, string> = {
  claude: 'Claude Managed Agents: Baton runs sessions on Anthropic.',
  cursor: 'Cursor Cloud agents work on your repositories.',
  self_hosted: 'Your own runtime, reached by signed webhooks.',
};

const typeOption = (type: BotType): PlainTextOption => ({
  text: plainText(BOT_TYPE_LABEL[type]),
  value: type,
  description: plainText(clip(TYPE_HELP[type], 75)),
});

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "New bot" and "Edit bot": identity fields, plus the bot's other settings when it exists. */
export function buildBotModal({ bot, usage }: BotModalInput): ModalView {
  const blocks: Blocks = [
    plainInput(INPUT.name, 'Name', {
      initial: bot?.name,
      maxLength: NAME_MAX,
      placeholder: 'reviewer',
      hint: 'Unique in this workspace. People write it after @Baton to pick this bot.',
    }),
    plainInput(INPUT.displayName, 'Display name', {
      initial: bot?.displayName,
      maxLength: DISPLAY_NAME_MAX,
      placeholder: 'Code Reviewer',
      hint: 'The name the bot posts under in threads.',
    }),
    plainInput(INPUT.icon, 'Icon', {
      initial: bot?.icon ?? undefined,
      optional: true,
      placeholder: ':robot_face: or https://…/icon.png',
      hint: 'An emoji code or an image URL; every message the bot posts uses it.',
    }),
  ];
  if (bot) {
    blocks.push(section(`*Type*\n${BOT_TYPE_LABEL[bot.type]}`));
  } else {
    blocks.push({
      type: 'input',
      block_id: INPUT.type,
      label: plainText('Type'),
      element: {
        type: 'radio_buttons',
        action_id: VALUE,
        options: BOT_TYPES.map(typeOption),
        initial_option: typeOption('claude'),
      },
    });
  }
  blocks.push(
    plainInput(INPUT.description, 'Description', {
      initial: bot?.description || undefined,
      optional: true,
      multiline: true,
      maxLength: DESCRIPTION_MAX,
      placeholder: 'What this bot is for',
    }),
  );
  if (bot) blocks.push(...settingsBlocks(bot, usage ?? { sessions: 0, channels: 0 }));
  return modal(VIEW.bot, bot ? 'Edit bot' : 'New bot', blocks, {
    submit: 'Save',
    privateMetadata: bot ? JSON.stringify({ botId: bot.id }) : '',
  });
}

function settingsBlocks(bot: Bot, usage: { sessions: number; channels: number }): Blocks {
  const buttons: Button[] = [];
  buttons.push(button('Agent connection', ACTION.openConnection, bot.id));
  if (bot.type === 'claude') buttons.push(button('Ask agent', ACTION.askAgent, bot.id));
  const uses =
    usage.sessions === 0
      ? 'No sessions have used it yet.'
      : `It has run ${plural(usage.sessions, 'session')} in ${plural(usage.channels, 'channel')}; their history goes too.`;
  buttons.push(
    button('Delete bot', ACTION.deleteBot, bot.id, {
      style: 'danger',
      confirm: {
        title: plainText('Delete this bot?'),
        text: { type: 'mrkdwn', text: clip(`*${escapeMrkdwn(bot.name)}* will be deleted. ${uses}`, 300) },
        confirm: plainText('Delete'),
        deny: plainText('Keep it'),
        style: 'danger',
      },
    }),
  );
  return [
    { type: 'divider' },
    context(
      `Status: ${statusText(bot)} · Tools: ${bot.toolMode === 'full' ? 'Full Baton mode' : 'Basic task mode'}` +
        (bot.allowDirectApi ? ' · Direct API access' : ''),
    ),
    { type: 'actions', block_id: 'bot_actions', elements: buttons },
  ];
}

export function statusText(bot: Pick<Bot, 'status' | 'statusDetail'>): string {
  switch (bot.status) {
    case 'not_configured':
      return 'Not configured';
    case 'syncing':
      return bot.statusDetail ? `Syncing… (${escapeMrkdwn(clip(bot.statusDetail, 200))})` : 'Syncing…';
    case 'ready':
      return 'Synced';
    case 'failed':
      return `Failed: ${escapeMrkdwn(clip(bot.statusDetail ?? 'unknown reason', 200))}`;
  }
}
