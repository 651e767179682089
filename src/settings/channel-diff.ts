import type { ChannelBotSettings, ChannelSettings } from '../domain/channel-settings';
import { richTextToPlain } from '../domain/rich-text';

type Flat = Record<string, unknown>;

const flatSection = (s: ChannelBotSettings): Flat => ({
  guidanceMode: s.guidanceMode,
  guidance: richTextToPlain(s.guidance),
  repositoriesMode: s.repositoriesMode,
  repositories: s.repositories,
  startersMode: s.startersMode,
  starterUsers: s.starterUsers,
  starterGroups: s.starterGroups,
  repliesWithoutMention: s.repliesWithoutMention,
  maxToolMode: s.maxToolMode,
  mcpApproval: s.mcpApproval,
  sessionBudgetCents: s.sessionBudgetCents,
});

function changed(before: Flat, after: Flat): { before: Flat; after: Flat } | undefined {
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (keys.length === 0) return undefined;
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
  };
}

/**
 * What a save changed, field by field with before and after, for the audit log: the channel's own fields under
 * `channel`, each bot's under its name. Empty when nothing changed.
 */
export function diffChannelSettings(
  before: ChannelSettings,
  after: Pick<ChannelSettings, 'defaultBotId' | 'guidance' | 'monthlyCapCents'> & { bots: ChannelBotSettings[] },
  botName: (botId: string) => string,
  defaults: (botId: string) => ChannelBotSettings,
): Record<string, { before: Flat; after: Flat }> {
  const out: Record<string, { before: Flat; after: Flat }> = {};
  const own = (s: Pick<ChannelSettings, 'defaultBotId' | 'guidance' | 'monthlyCapCents'>) => ({
    defaultBotId: s.defaultBotId,
    guidance: s.guidance,
    monthlyCapCents: s.monthlyCapCents,
  });
  const channel = changed(own(before), own(after));
  if (channel) out.channel = channel;
  for (const section of after.bots) {
    const old = before.bots.find((b) => b.botId === section.botId) ?? defaults(section.botId);
    const diff = changed(flatSection(old), flatSection(section));
    if (diff) out[botName(section.botId)] = diff;
  }
  return out;
}
