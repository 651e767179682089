import type { Bot } from '../domain/bots';
import type { ChannelKey, ChannelSettings } from '../domain/channel-settings';
import type { ClaudeConnection, ModelOption } from '../domain/claude';
import type { RepositoryRef } from '../sessions/resolve-config';

/** A bot's default repositories. Filled by the GitHub integration; a bot without one has none. */
export interface BotRepositorySource {
  forBot(teamId: string, botId: string): Promise<RepositoryRef[]>;
}

/** A bot's skills and MCP servers, by name (the card, `explain` and the audit line show them). */
export interface BotToolSource {
  /** `connection`: the bot's connection as the caller read it (the tools are part of it). */
  forBot(
    teamId: string,
    botId: string,
    connection: ClaudeConnection | undefined,
  ): Promise<{ skills: string[]; mcpServers: Array<{ name: string; isTrusted: boolean }> }>;
}

/** Everything the resolver reads, as narrow reads. */
export interface ConfigSources {
  bots: { get(teamId: string, id: string): Promise<Bot | undefined> };
  connections: { get(botId: string): Promise<ClaudeConnection | undefined> };
  /** The guidance admins wrote on the bot's connection, whatever its type (`connection`: as the caller read it). */
  guidance: { forBot(bot: Bot, connection: ClaudeConnection | undefined): Promise<string> };
  keys: { get(teamId: string, id: string): Promise<{ models: ModelOption[] } | undefined> };
  channels: { get(key: ChannelKey): Promise<ChannelSettings> };
  workspace: { sessionBudgetCents(teamId: string): Promise<number | null> };
  repositories: BotRepositorySource;
  tools: BotToolSource;
}

/** A session's spending limit, what it spent, and the configuration it started with. */
export interface SessionSpendRecord {
  sessionId: string;
  limitCents: number | null;
  costUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  config: Record<string, unknown>;
}

/** Where limits and spend live (the `session_spend` table). */
export interface SpendStore {
  get(sessionId: string): Promise<SessionSpendRecord | undefined>;
  /** Records the limit and configuration once; a repeat returns what the first call stored. */
  open(row: {
    sessionId: string;
    teamId: string;
    channelId: string;
    botId: string;
    limitCents: number;
    config: Record<string, unknown>;
  }): Promise<SessionSpendRecord>;
  recordUsage(
    sessionId: string,
    usage: { costUsd: number | null; inputTokens: number; outputTokens: number },
  ): Promise<void>;
  /** Raises the limit from `fromCents` by `byCents` unless someone already did; answers the limit now. */
  raiseLimit(sessionId: string, fromCents: number, byCents: number): Promise<number | null>;
  channelSpendSince(teamId: string, channelId: string, since: Date): Promise<number>;
}
