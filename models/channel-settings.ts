import { and, eq, sql } from 'drizzle-orm';
import {
  type ChannelBotSettings,
  type ChannelKey,
  type ChannelSettings,
  defaultBotSettings,
  emptyChannelSettings,
  ownerOf,
} from '../src/domain/channel-settings';
import type { Database } from './database';
import { channelBotSettings, channelSettings } from './schema';

export type ChannelChanges = Partial<Pick<ChannelSettings, 'defaultBotId' | 'guidance' | 'monthlyCapCents'>>;

const params = (key: ChannelKey) => ({ ownerId: ownerOf(key), channelId: key.channelId });
const whereBots = (key: ChannelKey) =>
  and(eq(channelBotSettings.ownerId, ownerOf(key)), eq(channelBotSettings.channelId, key.channelId));

/**
 * A channel's settings: the bot a mention without a bot name goes to, guidance for every bot, the monthly cap, and
 * one section per bot. Keyed by the channel id within its organization, never by the channel's name.
 */
export class ChannelSettingsRepository {
  // Every mention and every new session read these: built once, prepared by name.
  private readonly defaultBotOf;
  private readonly channelOf;
  private readonly sectionsOf;

  constructor(private readonly db: Database) {
    const key = { ownerId: sql.placeholder('ownerId'), channelId: sql.placeholder('channelId') };
    const byKey = and(eq(channelSettings.ownerId, key.ownerId), eq(channelSettings.channelId, key.channelId));
    this.defaultBotOf = db
      .select({ botId: channelSettings.defaultBotId })
      .from(channelSettings)
      .where(byKey)
      .prepare('channel_settings_default_bot');
    this.channelOf = db.select().from(channelSettings).where(byKey).prepare('channel_settings_by_key');
    this.sectionsOf = db
      .select()
      .from(channelBotSettings)
      .where(and(eq(channelBotSettings.ownerId, key.ownerId), eq(channelBotSettings.channelId, key.channelId)))
      .prepare('channel_bot_settings_by_key');
  }

  async defaultBotId(key: ChannelKey): Promise<string | null> {
    const [row] = await this.defaultBotOf.execute(params(key));
    return row?.botId ?? null;
  }

  async get(key: ChannelKey): Promise<ChannelSettings> {
    const [[row], sections] = await Promise.all([
      this.channelOf.execute(params(key)),
      this.sectionsOf.execute(params(key)),
    ]);
    const base = emptyChannelSettings();
    return {
      defaultBotId: row?.defaultBotId ?? base.defaultBotId,
      guidance: row?.guidance ?? base.guidance,
      monthlyCapCents: row?.monthlyCapCents ?? base.monthlyCapCents,
      bots: sections.map(({ ownerId: _o, channelId: _c, updatedAt: _u, ...section }) => section),
    };
  }

  async forBot(key: ChannelKey, botId: string): Promise<ChannelBotSettings> {
    const [row] = await this.db
      .select()
      .from(channelBotSettings)
      .where(and(whereBots(key), eq(channelBotSettings.botId, botId)));
    if (!row) return defaultBotSettings(botId);
    const { ownerId: _o, channelId: _c, updatedAt: _u, ...section } = row;
    return section;
  }

  async save(key: ChannelKey, changes: ChannelChanges): Promise<void> {
    const updatedAt = new Date();
    await this.db
      .insert(channelSettings)
      .values({ ownerId: ownerOf(key), teamId: key.teamId, channelId: key.channelId, ...changes, updatedAt })
      .onConflictDoUpdate({
        target: [channelSettings.ownerId, channelSettings.channelId],
        set: { ...changes, teamId: key.teamId, updatedAt },
      });
  }

  /** Saves the channel's fields and every bot section in one transaction. */
  async saveAll(key: ChannelKey, changes: ChannelChanges, sections: ChannelBotSettings[]): Promise<void> {
    const ownerId = ownerOf(key);
    const updatedAt = new Date();
    await this.db.transaction(async (tx) => {
      await tx
        .insert(channelSettings)
        .values({ ownerId, teamId: key.teamId, channelId: key.channelId, ...changes, updatedAt })
        .onConflictDoUpdate({
          target: [channelSettings.ownerId, channelSettings.channelId],
          set: { ...changes, teamId: key.teamId, updatedAt },
        });
      for (const section of sections) {
        const { botId, ...values } = section;
        await tx
          .insert(channelBotSettings)
          .values({ ownerId, channelId: key.channelId, botId, ...values, updatedAt })
          .onConflictDoUpdate({
            target: [channelBotSettings.ownerId, channelBotSettings.channelId, channelBotSettings.botId],
            set: { ...values, updatedAt },
          });
      }
    });
  }
}
