import type { BotType, ToolMode } from '../domain/bots';
import type { ChannelBotSettings, StartersMode } from '../domain/channel-settings';
import { richTextToPlain } from '../domain/rich-text';

/** Where a resolved value came from, as people read it on the card, in `explain` and in the audit log. */
export type ConfigSource = 'bot' | 'channel' | 'rule' | 'workspace';

export const SOURCE_LABEL: Record<ConfigSource, string> = {
  bot: 'bot default',
  channel: 'channel override',
  rule: 'channel rule',
  workspace: 'workspace default',
};

/** Spending limit per session when no admin set one anywhere: Anthropic's budget is always set at creation. */
export const BUILT_IN_SESSION_BUDGET_CENTS = 1000;

export interface Resolved<T> {
  value: T;
  source: ConfigSource;
  /** A few words on how the value was reached, e.g. "appended to the bot's guidance". */
  detail?: string;
}

export interface RepositoryRef {
  fullName: string;
  branch: string | null;
}

export interface McpServerRef {
  name: string;
  /** Tool calls run without asking (the bot's setting for a trusted server) or ask in the thread. */
  approval: 'ask' | 'trusted';
}

/** What the bot brings by default (from its connection, repositories, skills and MCP servers). */
export interface BotDefaults {
  id: string;
  name: string;
  displayName: string;
  type: BotType;
  toolMode: ToolMode;
  sessionBudgetCents: number | null;
  model: { id: string; name: string } | null;
  guidance: string;
  repositories: RepositoryRef[];
  skills: string[];
  mcpServers: Array<{ name: string; isTrusted: boolean }>;
}

export interface ResolveInput {
  /** Null when the bot was deleted. */
  bot: BotDefaults | null;
  channel: {
    /** Guidance for every bot in the channel. */
    guidance: string;
    monthlyCapCents: number | null;
    /** This bot's section of the channel's settings, when an admin saved one. */
    section: ChannelBotSettings | null;
  };
  workspace: { sessionBudgetCents: number | null };
}

export interface SessionConfig {
  botId: string;
  botName: string;
  model: Resolved<{ id: string; name: string } | null>;
  /** Trusted instructions from admins, already combined. */
  guidance: Resolved<string>;
  repositories: Resolved<RepositoryRef[]>;
  toolMode: Resolved<ToolMode>;
  skills: Resolved<string[]>;
  mcpServers: Resolved<McpServerRef[]>;
  /** Spending limit per session, in cents. */
  budgetCents: Resolved<number>;
  starters: Resolved<{ mode: StartersMode; users: string[]; groups: string[] }>;
  repliesWithoutMention: Resolved<boolean>;
  monthlyCapCents: number | null;
}

export type Resolution = { ok: true; config: SessionConfig } | { ok: false; problem: string };

const joinGuidance = (...parts: string[]) =>
  parts
    .map((part) => part.trim())
    .filter(Boolean)
    .join('\n\n');

function resolveGuidance(bot: BotDefaults, channelGuidance: string, section: ChannelBotSettings | null) {
  const own = richTextToPlain(section?.guidance);
  switch (section?.guidanceMode) {
    case 'override':
      return { value: joinGuidance(own), source: 'channel', detail: "replaces the bot's guidance" } as const;
    case 'append':
      return {
        value: joinGuidance(bot.guidance, channelGuidance, own),
        source: 'channel',
        detail: "added to the bot's guidance",
      } as const;
    default:
      return channelGuidance.trim()
        ? ({
            value: joinGuidance(bot.guidance, channelGuidance),
            source: 'channel',
            detail: "channel guidance added to the bot's",
          } as const)
        : ({ value: joinGuidance(bot.guidance), source: 'bot' } as const);
  }
}

function resolveRepositories(bot: BotDefaults, section: ChannelBotSettings | null): Resolved<RepositoryRef[]> {
  if (section?.repositoriesMode !== 'override') return { value: bot.repositories, source: 'bot' };
  const byName = new Map(bot.repositories.map((repo) => [repo.fullName.toLowerCase(), repo]));
  const kept = section.repositories.flatMap((name) => byName.get(name.toLowerCase()) ?? []);
  const gone = section.repositories.filter((name) => !byName.has(name.toLowerCase()));
  return {
    value: kept,
    source: 'channel',
    ...(gone.length > 0 ? { detail: `no longer on the bot, left out: ${gone.join(', ')}` } : {}),
  };
}

function resolveBudget(input: ResolveInput, bot: BotDefaults): Resolved<number> {
  const own = input.channel.section?.sessionBudgetCents;
  if (own != null) return { value: own, source: 'channel' };
  if (bot.sessionBudgetCents != null) return { value: bot.sessionBudgetCents, source: 'bot' };
  if (input.workspace.sessionBudgetCents != null)
    return { value: input.workspace.sessionBudgetCents, source: 'workspace' };
  return { value: BUILT_IN_SESSION_BUDGET_CENTS, source: 'workspace', detail: "Baton's default" };
}

/**
 * The one place a session's configuration is decided: the bot's defaults, the channel's overrides and rules, and
 * the workspace's defaults, each value with where it came from. Pure, so the card, `explain`, the provider request
 * and the audit line all read the same answer.
 */
export function resolveSessionConfig(input: ResolveInput): Resolution {
  const { bot } = input;
  if (!bot) return { ok: false, problem: 'The bot was deleted. Ask an admin to pick another one for this channel.' };
  const section = input.channel.section;
  const isHeld = section?.maxToolMode === 'basic' && bot.toolMode === 'full';
  const alwaysAsk = section?.mcpApproval === 'always';
  return {
    ok: true,
    config: {
      botId: bot.id,
      botName: bot.name,
      model: { value: bot.model, source: 'bot' },
      guidance: resolveGuidance(bot, input.channel.guidance, section),
      repositories: resolveRepositories(bot, section),
      toolMode: isHeld
        ? { value: 'basic', source: 'rule', detail: 'a Full bot held to Basic in this channel' }
        : { value: bot.toolMode, source: 'bot' },
      skills: { value: bot.skills, source: 'bot' },
      mcpServers: {
        value: bot.mcpServers.map((server) => ({
          name: server.name,
          approval: server.isTrusted && !alwaysAsk ? 'trusted' : 'ask',
        })),
        ...(alwaysAsk ? { source: 'rule', detail: 'every external tool call asks first' } : { source: 'bot' }),
      },
      budgetCents: resolveBudget(input, bot),
      starters:
        section?.startersMode === 'named'
          ? { value: { mode: 'named', users: section.starterUsers, groups: section.starterGroups }, source: 'rule' }
          : { value: { mode: 'anyone', users: [], groups: [] }, source: 'bot' },
      repliesWithoutMention: section
        ? { value: section.repliesWithoutMention, source: section.repliesWithoutMention ? 'bot' : 'rule' }
        : { value: true, source: 'bot' },
      monthlyCapCents: input.channel.monthlyCapCents,
    },
  };
}

/** Whether a person may start a session under this configuration (`groupsOf` lists their user groups). */
export function mayStart(config: SessionConfig, userId: string, userGroups: readonly string[]): boolean {
  const { mode, users, groups } = config.starters.value;
  return mode === 'anyone' || users.includes(userId) || groups.some((group) => userGroups.includes(group));
}
