import type { ModalView, PlainTextOption, RichTextBlock as SlackRichText } from '@slack/types';
import type { Bot } from '../domain/bots';
import { pickDefaultModel, type ClaudeConnection, type ConnectionMode, type NamedResource } from '../domain/claude';
import type { McpServer } from '../domain/mcp-servers';
import type { ProviderKey } from '../domain/provider-keys';
import type { Skill } from '../domain/skills';
import { clip, context, divider, escapeMrkdwn, section, type Blocks } from './blocks';
import { button, modal, plainInput, plainText } from './elements';
import { buildGitHubSection, type GitHubSectionInput } from './github-section';
import { ACTION, INPUT, VALUE, VIEW } from './ids';
import { mcpServersSection, skillsSection } from './tool-sections';

export interface ConnectionModalInput {
  bot: Bot;
  connection: ClaudeConnection | undefined;
  keys: ProviderKey[];
  selectedKeyId: string | undefined;
  mode: ConnectionMode;
  /** A provider call is under way; its result replaces this view. */
  busy?: 'validating' | 'refreshing' | 'saving';
  /** A problem to show at the top, e.g. a resource deleted in the Console since the last refresh. */
  notice?: string;
  /** Workspace skills the picker offers (managed mode). */
  skills?: Skill[];
  /** The bot's own MCP servers (managed mode). */
  mcpServers?: McpServer[];
  github?: GitHubSectionInput;
}

export interface ConnectionMetadata {
  botId: string;
}

export const option = (text: string, value: string, description?: string): PlainTextOption => ({
  text: plainText(clip(text, 75)),
  value,
  ...(description ? { description: plainText(clip(description, 75)) } : {}),
});

const resourceOption = (resource: NamedResource) => option(resource.name || resource.id, resource.id, resource.id);

export const keyOption = (key: ProviderKey) => option(`${key.label} (${key.hint})`, key.id);

export function keyStatus(key: ProviderKey | undefined, busy: ConnectionModalInput['busy']): string {
  if (!key) return 'Choose a saved key, or add one.';
  if (busy === 'validating') return ':hourglass_flowing_sand: Validating the connection…';
  if (key.validatedAt)
    return `:white_check_mark: Connection valid (checked <!date^${Math.floor(key.validatedAt.getTime() / 1000)}^{date_short_pretty} {time}|recently>).`;
  if (key.validationError) return `:x: ${escapeMrkdwn(key.validationError)}`;
  return 'Not validated yet: press *Validate connection*.';
}

/** The bot's Claude connection: key first; agent, environment, vault and model unlock once the key validates. */
export function buildConnectionModal(input: ConnectionModalInput): ModalView {
  const { bot, keys, busy } = input;
  const key = keys.find((k) => k.id === input.selectedKeyId);
  const blocks: Blocks = [section(`*${escapeMrkdwn(bot.name)}* · Claude Agent`)];
  if (input.notice) blocks.push(section(`:warning: ${escapeMrkdwn(input.notice)}`));

  if (keys.length > 0) {
    blocks.push({
      type: 'input',
      block_id: INPUT.key,
      label: plainText('Anthropic API key'),
      dispatch_action: true,
      hint: plainText(
        'Saved workspace keys, shown masked. Baton uses the key only to manage and run Claude resources.',
      ),
      element: {
        type: 'static_select',
        action_id: VALUE,
        placeholder: plainText('Choose a saved key'),
        options: keys.slice(0, 100).map(keyOption),
        ...(key ? { initial_option: keyOption(key) } : {}),
      },
    });
  } else {
    blocks.push(section('*Anthropic API key*\nNo saved keys yet: add one to connect this bot.'));
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
    context(keyStatus(key, busy)),
    divider(),
  );

  if (!key?.validatedAt || busy === 'validating') {
    blocks.push(
      section(
        ':lock: *Agent · Environment · Vaults · Model · Instructions* are locked.\n' +
          'Choose a key and press *Validate connection* first; these settings unlock as soon as the key works.',
      ),
    );
    if (input.github) blocks.push(divider(), ...buildGitHubSection(input.github));
    return modal(VIEW.connection, 'Agent connection', blocks, {
      submit: 'Save',
      privateMetadata: JSON.stringify({ botId: bot.id } satisfies ConnectionMetadata),
    });
  }

  blocks.push({
    type: 'input',
    block_id: INPUT.mode,
    label: plainText('Agent'),
    dispatch_action: true,
    element: {
      type: 'radio_buttons',
      action_id: VALUE,
      options: [modeOption('managed'), modeOption('existing')],
      initial_option: modeOption(input.mode),
    },
  });
  blocks.push(
    ...(input.mode === 'managed'
      ? [...managedBlocks(input, key), ...managedToolBlocks(input, key)]
      : existingBlocks(input, key)),
  );
  blocks.push(divider(), ...toolBlocks(bot));
  if (input.github) blocks.push(divider(), ...buildGitHubSection(input.github));
  return modal(VIEW.connection, 'Agent connection', blocks, {
    submit: 'Save',
    privateMetadata: JSON.stringify({ botId: bot.id } satisfies ConnectionMetadata),
  });
}

const MODE_TEXT: Record<ConnectionMode, [string, string]> = {
  managed: ['Manage the agent in Baton', 'Baton creates and repairs one agent, environment and vault.'],
  existing: ['Connect an existing agent', 'Pick an agent and environment; Baton never edits them.'],
};
const modeOption = (mode: ConnectionMode) => option(MODE_TEXT[mode][0], mode, MODE_TEXT[mode][1]);

function managedBlocks({ connection }: ConnectionModalInput, key: ProviderKey): Blocks {
  const models = key.models.slice(0, 100);
  const chosen = models.find((m) => m.id === connection?.model) ?? pickDefaultModel(models);
  const modelOption = (m: (typeof models)[number]) => option(m.displayName || m.id, m.id, m.id);
  return [
    {
      type: 'input',
      block_id: INPUT.instructions,
      label: plainText('Agent instructions'),
      optional: true,
      hint: plainText("The agent's system prompt, synced to Claude as plain text."),
      element: {
        type: 'rich_text_input',
        action_id: VALUE,
        ...(connection?.instructions ? { initial_value: connection.instructions as SlackRichText } : {}),
      },
    },
    models.length > 0
      ? {
          type: 'input',
          block_id: INPUT.model,
          label: plainText('Model'),
          element: {
            type: 'static_select',
            action_id: VALUE,
            options: models.map(modelOption),
            ...(chosen ? { initial_option: modelOption(chosen) } : {}),
          },
        }
      : section('*Model*\nThis key lists no models. Validate the connection again to refresh them.'),
    plainInput(INPUT.guidance, 'Custom guidance', {
      initial: connection?.guidance,
      optional: true,
      multiline: true,
      maxLength: 3000,
      hint: "Added to Baton's task guidance when a session starts.",
    }),
  ];
}

function managedToolBlocks(input: ConnectionModalInput, key: ProviderKey): Blocks {
  return [
    divider(),
    ...skillsSection(key.builtinSkills, input.skills ?? [], input.connection?.skills ?? []),
    divider(),
    ...mcpServersSection(input.bot.id, input.mcpServers ?? []),
  ];
}

function existingBlocks({ connection, busy }: ConnectionModalInput, key: ProviderKey): Blocks {
  const resources = key.resources;
  const refreshed = resources
    ? `Resources refreshed <!date^${Math.floor(Date.parse(resources.refreshedAt) / 1000)}^{date_short_pretty} {time}|recently>.`
    : 'Press *Refresh Claude resources* to load the agents, environments and vaults this key can see.';
  const blocks: Blocks = [
    {
      type: 'actions',
      block_id: 'resource_actions',
      elements: [button('Refresh Claude resources', ACTION.refreshResources, key.id)],
    },
    context(busy === 'refreshing' ? ':hourglass_flowing_sand: Refreshing Claude resources…' : refreshed),
  ];
  if (!resources) return blocks;
  const select = (
    blockId: string,
    label: string,
    list: NamedResource[],
    selected: string | null,
    optional: boolean,
  ) => {
    const current = list.find((r) => r.id === selected);
    return {
      type: 'input' as const,
      block_id: blockId,
      label: plainText(label),
      optional,
      element: {
        type: 'static_select' as const,
        action_id: VALUE,
        placeholder: plainText(list.length ? `Choose ${label.toLowerCase()}` : 'None found: create one in the Console'),
        options: (list.length ? list : [{ id: 'none', name: 'None available' }]).slice(0, 100).map(resourceOption),
        ...(current ? { initial_option: resourceOption(current) } : {}),
      },
    };
  };
  const vaults = resources.vaults.slice(0, 100);
  const chosenVaults = vaults.filter((v) => connection?.vaultIds.includes(v.id));
  blocks.push(
    select(INPUT.agent, 'Claude agent', resources.agents, connection?.agentId ?? null, false),
    select(INPUT.environment, 'Environment', resources.environments, connection?.environmentId ?? null, false),
  );
  if (vaults.length > 0) {
    blocks.push({
      type: 'input',
      block_id: INPUT.vaults,
      label: plainText('User vaults'),
      optional: true,
      hint: plainText('Credentials your agent needs (for example for MCP servers). Attached to every session.'),
      element: {
        type: 'multi_static_select',
        action_id: VALUE,
        options: vaults.map(resourceOption),
        ...(chosenVaults.length ? { initial_options: chosenVaults.map(resourceOption) } : {}),
      },
    });
  }
  blocks.push(context('Skills for an existing agent are managed in the Anthropic Console.'));
  return blocks;
}

export function toolBlocks(bot: Bot): Blocks {
  const toolOption = (mode: 'basic' | 'full') =>
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
