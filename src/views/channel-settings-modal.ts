import type { InputBlock, KnownBlock, ModalView, PlainTextOption, RichTextBlock as SlackRichText } from '@slack/types';
import type { Bot } from '../domain/bots';
import {
  type ChannelBotSettings,
  type ChannelSettings,
  defaultBotSettings,
  formatUsd,
} from '../domain/channel-settings';
import { richTextToPlain } from '../domain/rich-text';
import { clip, context, divider, escapeMrkdwn, header, section } from './blocks';
import { modal, plainInput, plainText } from './elements';
import { VALUE, VIEW } from './ids';

/** Input block ids of the Channel settings modal; per-bot ones end with `.<bot id>`. */
export const CHANNEL_INPUT = {
  defaultBot: 'ch_default_bot',
  guidance: 'ch_guidance',
  monthlyCap: 'ch_monthly_cap',
  guidanceMode: 'bot_guidance_mode',
  guidanceText: 'bot_guidance',
  repositoriesMode: 'bot_repos_mode',
  repositories: 'bot_repos',
  starters: 'bot_starters',
  starterUsers: 'bot_starter_users',
  starterGroups: 'bot_starter_groups',
  replies: 'bot_replies',
  maxToolMode: 'bot_max_tool_mode',
  mcpApproval: 'bot_mcp_approval',
  budget: 'bot_budget',
} as const;

export const botBlock = (input: string, botId: string) => `${input}.${botId}`;

export interface ChannelSettingsMetadata {
  channelId: string;
  botIds: string[];
}

export interface ModalBot {
  bot: Pick<Bot, 'id' | 'name' | 'displayName'>;
  /** The bot's repositories (full names) an override may pick from. */
  repositories: string[];
  /** What the bot's spending limit per session is when the channel sets none, e.g. "$10.00 (workspace default)". */
  inheritedBudget: string;
}

export interface ChannelSettingsModalInput {
  channelId: string;
  settings: ChannelSettings;
  /** Every bot of the workspace, for the default bot picker. */
  allBots: Array<Pick<Bot, 'id' | 'name'>>;
  /** The bots whose sections are shown. */
  sections: ModalBot[];
  /** Sections left out to stay within Slack's block limit. */
  hiddenCount: number;
  userGroups: Array<{ id: string; name: string }>;
  canEdit: boolean;
}

const option = (text: string, value: string, description?: string): PlainTextOption => ({
  text: plainText(clip(text, 75)),
  value,
  ...(description ? { description: plainText(clip(description, 75)) } : {}),
});

const CHOICES = {
  guidanceMode: [
    option("Inherit the bot's", 'inherit'),
    option("Append to the bot's", 'append'),
    option("Override the bot's", 'override'),
  ],
  repositoriesMode: [option("Inherit the bot's", 'inherit'), option('Override with a subset', 'override')],
  starters: [option('Anyone in the channel', 'anyone'), option('Named people or user groups', 'named')],
  maxToolMode: [
    option('Full Baton mode', 'full', "The bot's own mode applies"),
    option('Basic task mode', 'basic', 'A Full bot is held to Basic here'),
  ],
  mcpApproval: [option('Always ask', 'always'), option("The bot's setting", 'bot')],
};
const REPLIES_OPTION = option('Reach a running session without a mention', 'yes');

const choiceText = (choices: PlainTextOption[], value: string) =>
  choices.find((c) => c.value === value)?.text.text ?? value;

function radio(blockId: string, label: string, choices: PlainTextOption[], value: string): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label),
    element: {
      type: 'radio_buttons',
      action_id: VALUE,
      options: choices,
      initial_option: choices.find((c) => c.value === value) ?? choices[0]!,
    },
  };
}

function multiSelect(blockId: string, label: string, options: PlainTextOption[], chosen: string[]): InputBlock {
  const initial = options.filter((o) => chosen.includes(o.value ?? ''));
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label),
    optional: true,
    element: {
      type: 'multi_static_select',
      action_id: VALUE,
      options,
      ...(initial.length ? { initial_options: initial } : {}),
    },
  };
}

const amount = (cents: number | null) => (cents == null ? undefined : (cents / 100).toFixed(2));

function editableBot(
  m: ModalBot,
  s: ChannelBotSettings,
  groups: ChannelSettingsModalInput['userGroups'],
): KnownBlock[] {
  const id = (input: string) => botBlock(input, m.bot.id);
  const repoOptions = m.repositories.slice(0, 100).map((name) => option(name, name));
  const groupOptions = groups.slice(0, 100).map((g) => option(g.name, g.id));
  const blocks: KnownBlock[] = [
    header(`${m.bot.displayName} (${m.bot.name})`),
    radio(id(CHANNEL_INPUT.guidanceMode), 'Guidance', CHOICES.guidanceMode, s.guidanceMode),
    {
      type: 'input',
      block_id: id(CHANNEL_INPUT.guidanceText),
      label: plainText('Guidance for this channel'),
      optional: true,
      hint: plainText("Used when Guidance is Append or Override; the agent gets it as an admin's instruction."),
      element: {
        type: 'rich_text_input',
        action_id: VALUE,
        ...(s.guidance ? { initial_value: s.guidance as SlackRichText } : {}),
      },
    },
    radio(id(CHANNEL_INPUT.repositoriesMode), 'Repositories', CHOICES.repositoriesMode, s.repositoriesMode),
    repoOptions.length > 0
      ? multiSelect(id(CHANNEL_INPUT.repositories), 'Repositories used here', repoOptions, s.repositories)
      : context(
          `${escapeMrkdwn(m.bot.displayName)} has no repositories yet; an admin adds them in the bot's settings.`,
        ),
    section('*Rules*'),
    radio(id(CHANNEL_INPUT.starters), 'Who may start sessions', CHOICES.starters, s.startersMode),
    {
      type: 'input',
      block_id: id(CHANNEL_INPUT.starterUsers),
      label: plainText('People who may start sessions'),
      optional: true,
      element: {
        type: 'multi_users_select',
        action_id: VALUE,
        ...(s.starterUsers.length ? { initial_users: s.starterUsers } : {}),
      },
    },
  ];
  if (groupOptions.length > 0) {
    blocks.push(
      multiSelect(id(CHANNEL_INPUT.starterGroups), 'User groups who may start sessions', groupOptions, s.starterGroups),
    );
  }
  blocks.push(
    {
      type: 'input',
      block_id: id(CHANNEL_INPUT.replies),
      label: plainText('Thread replies'),
      optional: true,
      element: {
        type: 'checkboxes',
        action_id: VALUE,
        options: [REPLIES_OPTION],
        ...(s.repliesWithoutMention ? { initial_options: [REPLIES_OPTION] } : {}),
      },
    },
    radio(id(CHANNEL_INPUT.maxToolMode), 'Highest tool mode', CHOICES.maxToolMode, s.maxToolMode),
    radio(id(CHANNEL_INPUT.mcpApproval), 'Approval for external MCP tools', CHOICES.mcpApproval, s.mcpApproval),
    plainInput(id(CHANNEL_INPUT.budget), 'Spending limit per session (USD)', {
      optional: true,
      initial: amount(s.sessionBudgetCents),
      placeholder: `Inherits ${m.inheritedBudget}`,
      maxLength: 12,
    }),
    divider(),
  );
  return blocks;
}

function readOnlyBot(
  m: ModalBot,
  s: ChannelBotSettings,
  groups: ChannelSettingsModalInput['userGroups'],
): KnownBlock[] {
  const guidance = richTextToPlain(s.guidance);
  const names = (ids: string[], render: (id: string) => string) => ids.map(render).join(', ') || 'nobody';
  const groupName = (id: string) => escapeMrkdwn(groups.find((g) => g.id === id)?.name ?? id);
  const who =
    s.startersMode === 'anyone'
      ? 'Anyone in the channel'
      : `${names(s.starterUsers, (u) => `<@${u}>`)}${s.starterGroups.length ? `; groups: ${s.starterGroups.map(groupName).join(', ')}` : ''}`;
  return [
    header(`${m.bot.displayName} (${m.bot.name})`),
    section(
      `*Guidance:* ${choiceText(CHOICES.guidanceMode, s.guidanceMode)}` +
        (s.guidanceMode !== 'inherit' && guidance
          ? `\n>${escapeMrkdwn(clip(guidance, 1200)).replace(/\n/g, '\n>')}`
          : ''),
    ),
    section(
      `*Repositories:* ${
        s.repositoriesMode === 'inherit' ? "Inherit the bot's" : escapeMrkdwn(s.repositories.join(', ') || 'none')
      }`,
    ),
    section(
      [
        '*Rules*',
        `Who may start sessions: ${who}`,
        `Thread replies: ${s.repliesWithoutMention ? 'reach a running session without a mention' : 'need a mention'}`,
        `Highest tool mode: ${choiceText(CHOICES.maxToolMode, s.maxToolMode)}`,
        `Approval for external MCP tools: ${choiceText(CHOICES.mcpApproval, s.mcpApproval)}`,
        `Spending limit per session: ${s.sessionBudgetCents == null ? `inherits ${m.inheritedBudget}` : formatUsd(s.sessionBudgetCents)}`,
      ].join('\n'),
    ),
    divider(),
  ];
}

/** `/baton channel`: the channel's default bot, guidance, monthly cap, and one section per bot. */
export function buildChannelSettingsModal(input: ChannelSettingsModalInput): ModalView {
  const { settings, canEdit } = input;
  const sectionOf = (botId: string) => settings.bots.find((b) => b.botId === botId) ?? defaultBotSettings(botId);
  const defaultBot = input.allBots.find((b) => b.id === settings.defaultBotId);
  const blocks: KnownBlock[] = [
    section(
      `Settings for <#${input.channelId}>. They stay with the channel when it is renamed, archived or shared.` +
        (canEdit ? '' : '\n_Only Baton admins can change them._'),
    ),
  ];
  if (canEdit) {
    const botOptions = [
      option('No default bot', 'none'),
      ...input.allBots.slice(0, 99).map((b) => option(b.name, b.id)),
    ];
    blocks.push(
      {
        type: 'input',
        block_id: CHANNEL_INPUT.defaultBot,
        label: plainText('Default bot'),
        hint: plainText('Gets mentions of Baton here that name no bot.'),
        element: {
          type: 'static_select',
          action_id: VALUE,
          options: botOptions,
          initial_option: botOptions.find((o) => o.value === (defaultBot?.id ?? 'none')) ?? botOptions[0]!,
        },
      },
      plainInput(CHANNEL_INPUT.guidance, 'Guidance for every bot here', {
        optional: true,
        multiline: true,
        maxLength: 3000,
        initial: settings.guidance,
        hint: "Added to each bot's guidance, unless a bot's Guidance is Override.",
      }),
      plainInput(CHANNEL_INPUT.monthlyCap, 'Monthly cap (USD)', {
        optional: true,
        maxLength: 12,
        initial: amount(settings.monthlyCapCents),
        placeholder: 'No cap',
        hint: 'New sessions here do not start once this calendar month’s spend reaches it.',
      }),
      divider(),
    );
  } else {
    blocks.push(
      section(
        [
          `*Default bot:* ${defaultBot ? escapeMrkdwn(defaultBot.name) : 'none'}`,
          `*Guidance for every bot here:* ${settings.guidance ? escapeMrkdwn(clip(settings.guidance, 1500)) : 'none'}`,
          `*Monthly cap:* ${settings.monthlyCapCents == null ? 'none' : formatUsd(settings.monthlyCapCents)}`,
        ].join('\n'),
      ),
      divider(),
    );
  }
  for (const m of input.sections) {
    const s = sectionOf(m.bot.id);
    blocks.push(...(canEdit ? editableBot(m, s, input.userGroups) : readOnlyBot(m, s, input.userGroups)));
  }
  if (input.sections.length === 0) blocks.push(context('No bots yet: `/baton bots` creates one.'));
  if (input.hiddenCount > 0) {
    blocks.push(
      context(`${input.hiddenCount} more bots are not shown; \`/baton channel <bot name>\` opens one bot's section.`),
    );
  }
  const metadata: ChannelSettingsMetadata = { channelId: input.channelId, botIds: input.sections.map((m) => m.bot.id) };
  return modal(VIEW.channelSettings, 'Channel settings', blocks, {
    ...(canEdit ? { submit: 'Save' } : {}),
    close: canEdit ? 'Cancel' : 'Close',
    privateMetadata: JSON.stringify(metadata),
  });
}

/** Sections per modal: each takes up to 14 blocks of Slack's 100. */
export const MAX_MODAL_SECTIONS = 6;
