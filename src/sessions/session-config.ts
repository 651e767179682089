import type { ChannelKey } from '../domain/channel-settings';
import type { ConfigSources } from '../ports/settings';
import { type BotDefaults, type Resolution, resolveSessionConfig } from './resolve-config';

/** Reads what the resolver needs for one bot in one channel, then resolves it. */
export async function loadSessionConfig(sources: ConfigSources, key: ChannelKey, botId: string): Promise<Resolution> {
  const [bot, channel, workspaceBudget] = await Promise.all([
    sources.bots.get(key.teamId, botId),
    sources.channels.get(key),
    sources.workspace.sessionBudgetCents(key.teamId),
  ]);
  const section = channel.bots.find((b) => b.botId === botId) ?? null;
  const base = { channel: { guidance: channel.guidance, monthlyCapCents: channel.monthlyCapCents, section } };
  const workspace = { sessionBudgetCents: workspaceBudget };
  if (!bot) return resolveSessionConfig({ bot: null, ...base, workspace });
  const [connection, guidance, repositories, tools] = await Promise.all([
    sources.connections.get(bot.id),
    sources.guidance.forBot(bot),
    sources.repositories.forBot(key.teamId, bot.id),
    sources.tools.forBot(key.teamId, bot.id),
  ]);
  const models = connection?.keyId ? ((await sources.keys.get(key.teamId, connection.keyId))?.models ?? []) : [];
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
