import type { PlainTextOption } from '@slack/types';
import type { Bot, ToolMode } from '../domain/bots';
import type { ProviderKey } from '../domain/provider-keys';
import { clip, context, divider, escapeMrkdwn, section, type Blocks } from './blocks';
import { button, plainInput, plainText } from './elements';
import { ACTION, INPUT, VALUE } from './ids';
import { selectedValue, selectedValues, type ViewStateValues } from './state';

// The pieces every bot type's connection modal shares: the key section, guidance, and the Baton tools.

export const option = (text: string, value: string, description?: string): PlainTextOption => ({
  text: plainText(clip(text, 75)),
  value,
  ...(description ? { description: plainText(clip(description, 75)) } : {}),
});

const keyOption = (key: ProviderKey) => option(`${key.label} (${key.hint})`, key.id);

function keyStatus(key: ProviderKey | undefined, isValidating: boolean): string {
  if (!key) return 'Choose a saved key, or add one.';
  if (isValidating) return ':hourglass_flowing_sand: Validating the connection…';
  if (key.validatedAt)
    return `:white_check_mark: Connection valid (checked <!date^${Math.floor(key.validatedAt.getTime() / 1000)}^{date_short_pretty} {time}|recently>).`;
  if (key.validationError) return `:x: ${escapeMrkdwn(key.validationError)}`;
  return 'Not validated yet: press *Validate connection*.';
}

/** The modal's first line: the bot and its type, and a problem to show at the top when there is one. */
export function connectionHeader(bot: Bot, typeName: string, notice?: string): Blocks {
  const blocks: Blocks = [section(`*${escapeMrkdwn(bot.name)}* · ${typeName}`)];
  if (notice) blocks.push(section(`:warning: ${escapeMrkdwn(notice)}`));
  return blocks;
}

export interface KeySectionInput {
  bot: Bot;
  keys: ProviderKey[];
  key: ProviderKey | undefined;
  isValidating: boolean;
  /** The provider's name as people know it, e.g. "Anthropic". */
  providerName: string;
  /** What Baton does with the key, shown under the picker. */
  use: string;
}

/** The saved-key picker, Add API key / Validate connection, and the key's status, then a divider. */
export function keySection({ bot, keys, key, isValidating, providerName, use }: KeySectionInput): Blocks {
  const blocks: Blocks = [];
  if (keys.length > 0) {
    blocks.push({
      type: 'input',
      block_id: INPUT.key,
      label: plainText(`${providerName} API key`),
      dispatch_action: true,
      hint: plainText(`Saved workspace keys, shown masked. ${use}`),
      element: {
        type: 'static_select',
        action_id: VALUE,
        placeholder: plainText('Choose a saved key'),
        options: keys.slice(0, 100).map(keyOption),
        ...(key ? { initial_option: keyOption(key) } : {}),
      },
    });
  } else {
    blocks.push(section(`*${providerName} API key*\nNo saved ${providerName} keys yet: add one to connect this bot.`));
  }
  blocks.push(
    {
      type: 'actions',
      block_id: 'key_actions',
      elements: [
        button('Add API key', ACTION.addKey, bot.id),
        ...(key ? [button('Validate connection', ACTION.validateKey, key.id, { style: 'primary' })] : []),
      ],
    },
    context(keyStatus(key, isValidating)),
    divider(),
  );
  return blocks;
}

/** Shown instead of the settings until the key works; `settings` names them in Markdown. */
export const lockedSection = (settings: string) =>
  section(
    `:lock: ${settings} are locked.\n` +
      'Choose a key and press *Validate connection* first; these settings unlock as soon as the key works.',
  );

export const guidanceInput = (initial: string | undefined) =>
  plainInput(INPUT.guidance, 'Custom guidance', {
    initial,
    optional: true,
    multiline: true,
    maxLength: 3000,
    hint: "Added to Baton's task guidance when a session starts.",
  });

export function toolBlocks(bot: Bot): Blocks {
  const toolOption = (mode: ToolMode) =>
    mode === 'basic'
      ? option('Basic task mode', 'basic', 'Read the task context, comment, update status.')
      : option('Full Baton mode', 'full', 'The broader bridge for trusted automation.');
  const direct = option(
    'Allow direct API access',
    'direct_api',
    'For trusted bots: a short-lived API token in the sandbox.',
  );
  return [
    {
      type: 'input',
      block_id: INPUT.toolMode,
      label: plainText('Baton tools'),
      element: {
        type: 'radio_buttons',
        action_id: VALUE,
        options: [toolOption('basic'), toolOption('full')],
        initial_option: toolOption(bot.toolMode),
      },
    },
    {
      type: 'input',
      block_id: INPUT.directApi,
      label: plainText('Access'),
      optional: true,
      element: {
        type: 'checkboxes',
        action_id: VALUE,
        options: [direct],
        ...(bot.allowDirectApi ? { initial_options: [direct] } : {}),
      },
    },
  ];
}

/** What the admin chose in `toolBlocks`. */
export const submittedToolAccess = (values: ViewStateValues): { toolMode: ToolMode; allowDirectApi: boolean } => ({
  toolMode: selectedValue(values, INPUT.toolMode) === 'full' ? 'full' : 'basic',
  allowDirectApi: selectedValues(values, INPUT.directApi).includes('direct_api'),
});
