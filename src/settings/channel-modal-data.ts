import type { WebClient } from '@slack/web-api';
import type { Bot } from '../domain/bots';
import { type ChannelKey, formatUsd } from '../domain/channel-settings';
import type { ConfigSources } from '../ports/settings';
import { SOURCE_LABEL } from '../sessions/resolve-config';
import { loadSessionConfig } from '../sessions/session-config';
import { buildChannelSettingsModal, MAX_MODAL_SECTIONS, type ModalBot } from '../views/channel-settings-modal';

/** The workspace's user groups for the "who may start" rule; none when Slack does not list them. */
export async function listUserGroups(client: WebClient): Promise<Array<{ id: string; name: string }>> {
  try {
    const result = await client.usergroups.list({ include_disabled: false });
    return (result.usergroups ?? []).flatMap((g) => (g.id ? [{ id: g.id, name: g.name || g.handle || g.id }] : []));
  } catch {
    return [];
  }
}

/** What a bot's section of the modal needs: its repositories and the limit it has when the channel sets none. */
export async function modalBot(sources: ConfigSources, key: ChannelKey, bot: Bot): Promise<ModalBot> {
  const [repositories, workspace] = await Promise.all([
    sources.repositories.forBot(key.teamId, bot.id),
    sources.workspace.sessionBudgetCents(key.teamId),
  ]);
  const inherited =
    bot.sessionBudgetCents != null
      ? `${formatUsd(bot.sessionBudgetCents)} (${SOURCE_LABEL.bot})`
      : workspace != null
        ? `${formatUsd(workspace)} (${SOURCE_LABEL.workspace})`
        : undefined;
  // Without a bot or workspace default, the resolver's own default applies: ask it rather than repeat it.
  const fallback = inherited ?? (await builtInBudget(sources, key, bot.id));
  return { bot, repositories: repositories.map((r) => r.fullName), inheritedBudget: fallback };
}

async function builtInBudget(sources: ConfigSources, key: ChannelKey, botId: string): Promise<string> {
  const resolution = await loadSessionConfig(
    {
      ...sources,
      channels: { get: async () => ({ defaultBotId: null, guidance: '', monthlyCapCents: null, bots: [] }) },
    },
    key,
    botId,
  );
  return resolution.ok ? `${formatUsd(resolution.config.budgetCents.value)} (Baton's default)` : 'the default';
}

/**
 * The Channel settings modal for one channel: every bot's section when they fit in one modal (the default bot
 * and bots with saved sections first), or only `focus`.
 */
export async function channelSettingsView(
  deps: { sources: ConfigSources; client: WebClient; listBots(teamId: string): Promise<Bot[]> },
  key: ChannelKey,
  options: { canEdit: boolean; focus?: Bot | undefined },
) {
  const [allBots, settings, userGroups] = await Promise.all([
    deps.listBots(key.teamId),
    deps.sources.channels.get(key),
    listUserGroups(deps.client),
  ]);
  const saved = new Set(settings.bots.map((b) => b.botId));
  const rank = (bot: Bot) => (bot.id === settings.defaultBotId ? 0 : saved.has(bot.id) ? 1 : 2);
  const ordered = options.focus ? [options.focus] : [...allBots].sort((a, b) => rank(a) - rank(b));
  const shown = ordered.slice(0, MAX_MODAL_SECTIONS);
  return buildChannelSettingsModal({
    channelId: key.channelId,
    settings,
    allBots,
    sections: await Promise.all(shown.map((bot) => modalBot(deps.sources, key, bot))),
    hiddenCount: options.focus ? 0 : ordered.length - shown.length,
    userGroups,
    canEdit: options.canEdit,
  });
}
