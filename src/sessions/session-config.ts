import type { Bot } from '../domain/bots';
import type { ChannelKey } from '../domain/channel-settings';
import type { ConfigSources } from '../ports/settings';
import { type BotDefaults, type Resolution, resolveSessionConfig } from './resolve-config';

/**
 * Reads what the resolver needs for one bot in one channel, then resolves it. `loaded`: the bot as the caller read
 * it (a session's run has it), so it is not read again; its connection is read once for everything that needs it.
 * Two rounds of reads: what needs only the bot's id, then what needs its connection.
 */
export async function loadSessionConfig(
  sources: ConfigSources,
  key: ChannelKey,
  botId: string,
  loaded?: Bot,
): Promise<Resolution> {
  const [bot, channel, workspaceBudget, connection, repositories] = await Promise.all([
    loaded ?? sources.bots.get(key.teamId, botId),
    sources.channels.get(key),
    sources.workspace.sessionBudgetCents(key.teamId),
    sources.connections.get(botId),
    sources.repositories.forBot(key.teamId, botId),
  ]);
  const section = channel.bots.find((b) => b.botId === botId) ?? null;
  const base = { channel: { guidance: channel.guidance, monthlyCapCents: channel.monthlyCapCents, section } };
  const workspace = { sessionBudgetCents: workspaceBudget };
  if (!bot) return resolveSessionConfig({ bot: null, ...base, workspace });
  const [guidance, tools, providerKey] = await Promise.all([
    sources.guidance.forBot(bot, connection),
    sources.tools.forBot(key.teamId, bot.id, connection),
    connection?.keyId ? sources.keys.get(key.teamId, connection.keyId) : undefined,
  ]);
  const models = providerKey?.models ?? [];
  const modelId = connection?.model ?? null;
  const defaults: BotDefaults = {
    id: bot.id,
    name: bot.name,
    displayName: bot.displayName,
    type: bot.type,
    toolMode: bot.toolMode,
    sessionBudgetCents: bot.sessionBudgetCents,
    model: modelId ? { id: modelId, name: models.find((m) => m.id === modelId)?.displayName || modelId } : null,
    guidance,
    repositories,
    skills: tools.skills,
    mcpServers: tools.mcpServers,
  };
  return resolveSessionConfig({ bot: defaults, ...base, workspace });
}
