import type { ModalView, RichTextBlock as SlackRichText } from '@slack/types';
import type { Bot } from '../domain/bots';
import { pickDefaultModel, type ClaudeConnection, type ConnectionMode, type NamedResource } from '../domain/claude';
import type { McpServer } from '../domain/mcp-servers';
import type { ProviderKey } from '../domain/provider-keys';
import type { Skill } from '../domain/skills';
import { context, divider, section, type Blocks } from './blocks';
import { connectionHeader, guidanceInput, keySection, lockedSection, option, toolBlocks } from './connection-parts';
import { button, modal, plainText } from './elements';
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

const resourceOption = (resource: NamedResource) => option(resource.name || resource.id, resource.id, resource.id);

/** The bot's Claude connection: key first; agent, environment, vault and model unlock once the key validates. */
export function buildConnectionModal(input: ConnectionModalInput): ModalView {
  const { bot, keys, busy } = input;
  const key = keys.find((k) => k.id === input.selectedKeyId);
  const blocks: Blocks = [
    ...connectionHeader(bot, 'Claude Agent', input.notice),
    ...keySection({
      bot,
      keys,
      key,
      isValidating: busy === 'validating',
      providerName: 'Anthropic',
      use: 'Baton uses the key only to manage and run Claude resources.',
    }),
  ];

  if (!key?.validatedAt || busy === 'validating') {
    blocks.push(lockedSection('*Agent · Environment · Vaults · Model · Instructions*'));
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
    guidanceInput(connection?.guidance),
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
