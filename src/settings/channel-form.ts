import type { ChannelBotSettings, GuidanceMode, McpApproval } from '../domain/channel-settings';
import { richTextToPlain } from '../domain/rich-text';
import { botBlock, CHANNEL_INPUT } from '../views/channel-settings-modal';
import { richTextValue, selectedValue, selectedValues, textValue, type ViewStateValues } from '../views/state';
import { VALUE } from '../views/ids';

const GUIDANCE_MAX = 3000;
const MAX_DOLLARS = 100_000;

export interface ChannelForm {
  defaultBotId: string | null;
  guidance: string;
  monthlyCapCents: number | null;
  sections: ChannelBotSettings[];
}

export type FormResult = { ok: true; value: ChannelForm } | { ok: false; errors: Record<string, string> };

/** Dollars as people type them (`5`, `$12.50`) to cents; null when empty, undefined when not an amount. */
export function parseDollars(text: string): number | null | undefined {
  const trimmed = text.trim().replace(/^\$/, '').replace(/,/g, '');
  if (trimmed === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return undefined;
  const dollars = Number(trimmed);
  if (dollars <= 0 || dollars > MAX_DOLLARS) return undefined;
  return Math.round(dollars * 100);
}

const AMOUNT_ERROR = `Enter an amount in dollars, like 5 or 12.50 (at most $${MAX_DOLLARS.toLocaleString('en-US')}), or leave it empty.`;

const usersOf = (values: ViewStateValues, blockId: string): string[] =>
  (values[blockId]?.[VALUE] as { selected_users?: string[] } | undefined)?.selected_users ?? [];

/**
 * Reads the Channel settings modal. Every mistake comes back as an inline error on its field, and nothing is
 * saved until all of them are fixed.
 */
export function parseChannelForm(
  values: ViewStateValues,
  bots: Array<{ id: string; displayName: string; repositories: string[] }>,
  knownBotIds: ReadonlySet<string>,
): FormResult {
  const errors: Record<string, string> = {};
  const defaultChoice = selectedValue(values, CHANNEL_INPUT.defaultBot);
  const defaultBotId = !defaultChoice || defaultChoice === 'none' ? null : defaultChoice;
  if (defaultBotId && !knownBotIds.has(defaultBotId))
    errors[CHANNEL_INPUT.defaultBot] = 'That bot was deleted. Pick another.';
  const guidance = textValue(values, CHANNEL_INPUT.guidance).trim();
  const cap = parseDollars(textValue(values, CHANNEL_INPUT.monthlyCap));
  if (cap === undefined) errors[CHANNEL_INPUT.monthlyCap] = AMOUNT_ERROR;

  const sections = bots.map((bot): ChannelBotSettings => {
    const id = (input: string) => botBlock(input, bot.id);
    const guidanceMode = (selectedValue(values, id(CHANNEL_INPUT.guidanceMode)) ?? 'inherit') as GuidanceMode;
    const richText = richTextValue(values, id(CHANNEL_INPUT.guidanceText)) ?? null;
    const text = richTextToPlain(richText);
    if (guidanceMode !== 'inherit' && !text) {
      errors[id(CHANNEL_INPUT.guidanceText)] =
        guidanceMode === 'override'
          ? "Write the guidance that replaces the bot's, or choose Inherit."
          : 'Write the guidance to add, or choose Inherit.';
    }
    if (Array.from(text).length > GUIDANCE_MAX) {
      errors[id(CHANNEL_INPUT.guidanceText)] = `Guidance is limited to ${GUIDANCE_MAX} characters.`;
    }
    const repositoriesMode =
      selectedValue(values, id(CHANNEL_INPUT.repositoriesMode)) === 'override' ? 'override' : 'inherit';
    const known = new Set(bot.repositories);
    const repositories = selectedValues(values, id(CHANNEL_INPUT.repositories)).filter((name) => known.has(name));
    if (repositoriesMode === 'override' && bot.repositories.length === 0) {
      errors[id(CHANNEL_INPUT.repositoriesMode)] = `${bot.displayName} has no repositories to choose from yet.`;
    } else if (repositoriesMode === 'override' && repositories.length === 0) {
      errors[id(CHANNEL_INPUT.repositories)] = 'Pick at least one repository, or choose Inherit.';
    }
    const startersMode = selectedValue(values, id(CHANNEL_INPUT.starters)) === 'named' ? 'named' : 'anyone';
    const starterUsers = usersOf(values, id(CHANNEL_INPUT.starterUsers));
    const starterGroups = selectedValues(values, id(CHANNEL_INPUT.starterGroups));
    if (startersMode === 'named' && starterUsers.length + starterGroups.length === 0) {
      errors[id(CHANNEL_INPUT.starterUsers)] =
        'Name at least one person or user group, or choose Anyone in the channel.';
    }
    const budget = parseDollars(textValue(values, id(CHANNEL_INPUT.budget)));
    if (budget === undefined) errors[id(CHANNEL_INPUT.budget)] = AMOUNT_ERROR;
    return {
      botId: bot.id,
      guidanceMode,
      // Kept even under Inherit, so switching back does not lose what an admin wrote.
      guidance: text ? richText : null,
      repositoriesMode,
      repositories,
      startersMode,
      starterUsers,
      starterGroups,
      repliesWithoutMention: selectedValues(values, id(CHANNEL_INPUT.replies)).includes('yes'),
      maxToolMode: selectedValue(values, id(CHANNEL_INPUT.maxToolMode)) === 'basic' ? 'basic' : 'full',
      mcpApproval: (selectedValue(values, id(CHANNEL_INPUT.mcpApproval)) === 'always'
        ? 'always'
        : 'bot') as McpApproval,
      sessionBudgetCents: budget ?? null,
    };
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { defaultBotId, guidance, monthlyCapCents: cap ?? null, sections } };
}
