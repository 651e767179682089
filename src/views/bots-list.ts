import type { Bot } from '../domain/bots';
import { BOT_TYPE_LABEL } from '../domain/bots';
import { context, escapeMrkdwn, header, section, type Blocks } from './blocks';
import { statusText } from './bot-modal';
import { button } from './elements';
import { ACTION } from './ids';

export interface BotListItem extends Bot {
  sessionCount: number;
  model: string | null;
  connection: string;
}

/** Bots beyond this are summarised, keeping a message under Slack's 50-block cap. */
const MAX_LISTED = 20;

const icon = (bot: Bot) => (bot.icon?.startsWith(':') ? `${bot.icon} ` : '');

export function buildBotsList(bots: BotListItem[], { canConfigure }: { canConfigure: boolean }): Blocks {
  const blocks: Blocks = [header('Bots')];
  if (bots.length === 0) {
    blocks.push(section('No bots yet. A bot is an identity people hand work to: create one to get started.'));
  }
  for (const bot of bots.slice(0, MAX_LISTED)) {
    const facts = [
      BOT_TYPE_LABEL[bot.type],
      statusText(bot),
      bot.model ? `Model: \`${escapeMrkdwn(bot.model)}\`` : undefined,
      bot.connection,
      `${bot.sessionCount} session${bot.sessionCount === 1 ? '' : 's'} run`,
    ].filter(Boolean);
    const title = `${icon(bot)}*${escapeMrkdwn(bot.name)}* (${escapeMrkdwn(bot.displayName)})`;
    blocks.push(
      section(`${title}\n${facts.join(' · ')}`, canConfigure ? button('Edit', ACTION.editBot, bot.id) : undefined),
    );
    if (canConfigure && bot.status === 'failed') {
      blocks.push({ type: 'actions', elements: [button('Retry sync', ACTION.retrySync, bot.id)] });
    }
  }
  if (bots.length > MAX_LISTED) blocks.push(context(`…and ${bots.length - MAX_LISTED} more.`));
  if (canConfigure) {
    blocks.push({
      type: 'actions',
      block_id: 'bots_list_actions',
      elements: [button('New bot', ACTION.newBot, undefined, { style: 'primary' })],
    });
  } else {
    blocks.push(context('Only Baton admins can create or change bots.'));
  }
  return blocks;
}
