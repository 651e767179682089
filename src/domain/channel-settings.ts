import type { ToolMode } from './bots';
import type { RichTextBlock } from './claude';

export type GuidanceMode = 'inherit' | 'append' | 'override';
export type RepositoriesMode = 'inherit' | 'override';
/** Who may start sessions with a bot in a channel: anyone there, or only named people and user groups. */
export type StartersMode = 'anyone' | 'named';
/** Approval of external MCP tool calls: follow the bot's per-server setting, or always ask in the thread. */
export type McpApproval = 'bot' | 'always';

/** Settings belong to the channel id inside its organization (enterprise id, else team id): names may change. */
export interface ChannelKey {
  teamId: string;
  enterpriseId: string | null | undefined;
  channelId: string;
}

export const ownerOf = (key: Pick<ChannelKey, 'teamId' | 'enterpriseId'>): string => key.enterpriseId || key.teamId;

/** One bot's section of a channel's settings. */
export interface ChannelBotSettings {
  botId: string;
  guidanceMode: GuidanceMode;
  guidance: RichTextBlock | null;
  repositoriesMode: RepositoriesMode;
  /** Full names (`owner/name`) picked from the bot's repositories. */
  repositories: string[];
  startersMode: StartersMode;
  starterUsers: string[];
  starterGroups: string[];
  repliesWithoutMention: boolean;
  /** The highest tool mode a session may have here; a Full bot is held to Basic when this is `basic`. */
  maxToolMode: ToolMode;
  mcpApproval: McpApproval;
  /** Spending limit per session here, in cents; null inherits the bot's or the workspace's. */
  sessionBudgetCents: number | null;
}

export interface ChannelSettings {
  defaultBotId: string | null;
  /** Guidance for every bot in the channel (the `/baton channel guidance` shortcut). */
  guidance: string;
  /** Most this channel may spend per calendar month (UTC), in cents; null for no cap. */
  monthlyCapCents: number | null;
  bots: ChannelBotSettings[];
}

export const defaultBotSettings = (botId: string): ChannelBotSettings => ({
  botId,
  guidanceMode: 'inherit',
  guidance: null,
  repositoriesMode: 'inherit',
  repositories: [],
  startersMode: 'anyone',
  starterUsers: [],
  starterGroups: [],
  repliesWithoutMention: true,
  maxToolMode: 'full',
  mcpApproval: 'bot',
  sessionBudgetCents: null,
});

export const emptyChannelSettings = (): ChannelSettings => ({
  defaultBotId: null,
  guidance: '',
  monthlyCapCents: null,
  bots: [],
});

/** `$12.50` from cents. */
// Built once: toLocaleString with options builds a formatter per call, about a millisecond each (every card redraw).
const USD = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const formatUsd = (cents: number): string => `$${USD.format(cents / 100)}`;
