import type { Bot } from '../domain/bots';
import type { ChannelKey, ChannelSettings } from '../domain/channel-settings';
import type { ClaudeConnection, ModelOption } from '../domain/claude';
import type { RepositoryRef } from '../sessions/resolve-config';

/** A bot's default repositories. Filled by the GitHub integration; a bot without one has none. */
export interface BotRepositorySource {
  forBot(teamId: string, botId: string): Promise<RepositoryRef[]>;
}

/** A bot's skills and MCP servers, by name. Filled by the tools integration; a bot without them has none. */
export interface BotToolSource {
  forBot(
    teamId: string,
    botId: string,
  ): Promise<{ skills: string[]; mcpServers: Array<{ name: string; isTrusted: boolean }> }>;
}

/** Everything the resolver reads, as narrow reads. */
export interface ConfigSources {
  bots: { get(teamId: string, id: string): Promise<Bot | undefined> };
  connections: { get(botId: string): Promise<ClaudeConnection | undefined> };
  keys: { get(teamId: string, id: string): Promise<{ models: ModelOption[] } | undefined> };
  channels: { get(key: ChannelKey): Promise<ChannelSettings> };
  workspace: { sessionBudgetCents(teamId: string): Promise<number | null> };
  repositories: BotRepositorySource;
  tools: BotToolSource;
}

/** Nothing configured yet: the slot the GitHub and tools integrations fill. */
export const noRepositories: BotRepositorySource = { forBot: async () => [] };
export const noTools: BotToolSource = { forBot: async () => ({ skills: [], mcpServers: [] }) };
