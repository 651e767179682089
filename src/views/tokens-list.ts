import type { ActionsBlock } from '@slack/types';
import type { Bot } from '../domain/bots';
import { clip, context, escapeMrkdwn, header, section, type Blocks } from './blocks';
import { button, plainText } from './elements';
import { ACTION } from './ids';

export interface TokenListItem {
  id: string;
  label: string;
  hint: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const TOKENS_SHOWN = 40;
const date = (at: Date) => `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty}|${at.toISOString()}>`;
const MODE = { basic: 'Basic task mode', full: 'Full Baton mode' } as const;

/**
 * `/baton tokens <bot>`: the bot's API tokens, masked, each revocable, and a Create button. A token just created
 * is shown once, in `created`; every later redraw leaves it out, so Slack never shows it again.
 */
export function buildTokensList(
  bot: Pick<Bot, 'id' | 'name' | 'toolMode'>,
  tokens: TokenListItem[],
  options: { apiUrl: string; created?: { token: string; label: string } },
): Blocks {
  const blocks: Blocks = [header(`API tokens: ${bot.name}`)];
  if (options.created) {
    blocks.push(
      section(
        `:key: *New token “${escapeMrkdwn(options.created.label)}”.* Copy it now: Baton stores only a hash and will not show it again.\n` +
          `\`\`\`${options.created.token}\`\`\``,
      ),
    );
  }
  if (tokens.length === 0) blocks.push(section(`*${escapeMrkdwn(bot.name)}* has no API tokens.`));
  for (const token of tokens.slice(0, TOKENS_SHOWN)) {
    const used = token.lastUsedAt ? `last used ${date(token.lastUsedAt)}` : 'never used';
    blocks.push(
      section(
        `*${escapeMrkdwn(token.label)}* \`${escapeMrkdwn(token.hint)}\`\n` +
          `Created ${date(token.createdAt)} by <@${token.createdBy}> · ${used}`,
        button('Revoke', ACTION.revokeToken, token.id, {
          style: 'danger',
          confirm: {
            title: plainText('Revoke this token?'),
            text: { type: 'plain_text', text: clip(`Anything using “${token.label}” stops working at once.`, 300) },
            confirm: plainText('Revoke'),
            deny: plainText('Keep it'),
            style: 'danger',
          },
        }),
      ),
    );
  }
  const actions: ActionsBlock = {
    type: 'actions',
    elements: [button('Create token', ACTION.createToken, bot.id, { style: 'primary' })],
  };
  blocks.push(
    actions,
    context(
      `A token calls Baton's REST API at \`${escapeMrkdwn(options.apiUrl)}\` as *${escapeMrkdwn(bot.name)}*, ` +
        `with the bot's tool mode at the time of each call (now ${MODE[bot.toolMode]}).`,
    ),
  );
  return blocks;
}
