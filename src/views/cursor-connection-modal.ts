import type { ModalView } from '@slack/types';
import type { Bot } from '../domain/bots';
import type { CursorConnection } from '../domain/cursor';
import type { ProviderKey } from '../domain/provider-keys';
import { divider, type Blocks } from './blocks';
import type { ConnectionMetadata } from './connection-modal';
import { connectionHeader, guidanceInput, keySection, lockedSection, option, toolBlocks } from './connection-parts';
import { modal, plainInput, plainText } from './elements';
import { INPUT, VALUE, VIEW } from './ids';

export interface CursorConnectionModalInput {
  bot: Bot;
  connection: CursorConnection | undefined;
  keys: ProviderKey[];
  selectedKeyId: string | undefined;
  busy?: 'validating' | undefined;
  notice?: string | undefined;
}

export const NO_REPOSITORY = 'none';
export const DEFAULT_MODEL = 'default';
export const AUTO_PR = 'auto_pr';

/** A Cursor Cloud bot's connection: the key first; repository, branch, model and PR choice unlock once it works. */
export function buildCursorConnectionModal(input: CursorConnectionModalInput): ModalView {
  const { bot, keys, busy, connection } = input;
  const key = keys.find((k) => k.id === input.selectedKeyId);
  const blocks: Blocks = [
    ...connectionHeader(bot, 'Cursor Cloud', input.notice),
    ...keySection({
      bot,
      keys,
      key,
      isValidating: busy === 'validating',
      providerName: 'Cursor',
      use: 'Baton uses the key only to launch and follow agents.',
    }),
  ];
  const metadata = JSON.stringify({ botId: bot.id } satisfies ConnectionMetadata);
  if (!key?.validatedAt || busy === 'validating') {
    blocks.push(lockedSection('*Repository · Starting branch · Model · Pull requests · Guidance*'));
    return modal(VIEW.cursorConnection, 'Agent connection', blocks, { submit: 'Save', privateMetadata: metadata });
  }

  const repoOption = (r: { url: string; name: string }) => option(r.name, r.url, r.url);
  const noRepo = option('No repository', NO_REPOSITORY, 'The agent works without a codebase.');
  const repos = key.repositories.slice(0, 99);
  const chosenRepo = repos.find((r) => r.url === connection?.repository);
  const modelOption = (m: { id: string; displayName: string }) => option(m.displayName || m.id, m.id, m.id);
  const accountDefault = option('Account default', DEFAULT_MODEL, "The Cursor account's default model.");
  const chosenModel = key.models.find((m) => m.id === connection?.model);
  const autoPr = option('Open a pull request when done', AUTO_PR);
  blocks.push(
    {
      type: 'input',
      block_id: INPUT.repository,
      label: plainText('Repository'),
      hint: plainText(
        repos.length > 0
          ? 'The repositories this key can work on.'
          : 'This key sees no repositories: connect GitHub in the Cursor dashboard, then validate again.',
      ),
      element: {
        type: 'static_select',
        action_id: VALUE,
        options: [...repos.map(repoOption), noRepo],
        initial_option: chosenRepo ? repoOption(chosenRepo) : repos[0] && !connection ? repoOption(repos[0]) : noRepo,
      },
    },
    plainInput(INPUT.branch, 'Starting branch', {
      initial: connection?.branch ?? undefined,
      optional: true,
      maxLength: 250,
      placeholder: "The repository's default branch",
      hint: 'Agents start from this branch and work on a new one.',
    }),
    {
      type: 'input',
      block_id: INPUT.model,
      label: plainText('Model'),
      element: {
        type: 'static_select',
        action_id: VALUE,
        options: [accountDefault, ...key.models.slice(0, 99).map(modelOption)],
        initial_option: chosenModel ? modelOption(chosenModel) : accountDefault,
      },
    },
    {
      type: 'input',
      block_id: INPUT.autoPr,
      label: plainText('Pull requests'),
      optional: true,
      element: {
        type: 'checkboxes',
        action_id: VALUE,
        options: [autoPr],
        ...(connection?.isAutoCreatePr ? { initial_options: [autoPr] } : {}),
      },
    },
    guidanceInput(connection?.guidance),
    divider(),
    ...toolBlocks(bot),
  );
  return modal(VIEW.cursorConnection, 'Agent connection', blocks, { submit: 'Save', privateMetadata: metadata });
}
