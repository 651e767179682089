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
  expiresAt: Date | null;
}

/** How long a new personal API token works, as offered when it is created (days; null: until revoked). */
export const TOKEN_LIFETIMES = [
  { days: 30, label: 'Expires in 30 days' },
  { days: 90, label: 'Expires in 90 days' },
  { days: 365, label: 'Expires in 1 year' },
  { days: null, label: 'Never expires' },
] as const;

/** The "Create token…" menu's option value: the bot and the lifetime chosen. */
export const tokenChoiceValue = (botId: string, days: number | null): string => `${botId}/${days ?? 'never'}`;

export function parseTokenChoice(value: string): { botId: string; days: number | null } | undefined {
  const [botId, lifetime] = value.split('/');
  const choice = TOKEN_LIFETIMES.find((l) => String(l.days ?? 'never') === lifetime);
  return botId && choice ? { botId, days: choice.days } : undefined;
}

const TOKENS_SHOWN = 40;
const date = (at: Date) => `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty}|${at.toISOString()}>`;
const MODE = { basic: 'Basic task mode', full: 'Full Baton mode' } as const;

/**
 * `/baton tokens <bot>`: the bot's API tokens, masked, each revocable, and a Create button. A token just created
 * is shown once, in `created`; every later redraw leaves it out, so Slack never shows it again. Creating one starts
 * by choosing how long it works.
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
    const expires = token.expiresAt ? `expires ${date(token.expiresAt)}` : 'never expires';
    blocks.push(
      section(
        `*${escapeMrkdwn(token.label)}* \`${escapeMrkdwn(token.hint)}\`\n` +
          `Created ${date(token.createdAt)} by <@${token.createdBy}> · ${used} · ${expires}`,
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
    elements: [
      {
        type: 'static_select',
        action_id: ACTION.createToken,
        placeholder: plainText('Create token…'),
        options: TOKEN_LIFETIMES.map((l) => ({ text: plainText(l.label), value: tokenChoiceValue(bot.id, l.days) })),
      },
    ],
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
