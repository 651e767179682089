import { and, eq } from 'drizzle-orm';
import type { Database } from './database';
import { channelSettings } from './schema';

export interface ChannelSettings {
  defaultBotId: string | null;
  guidance: string;
}

/** Per-channel choices: the bot a mention without a bot name goes to, and guidance for every session there. */
export class ChannelSettingsRepository {
  constructor(private readonly db: Database) {}

  async defaultBotId(teamId: string, channelId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ botId: channelSettings.defaultBotId })
      .from(channelSettings)
      .where(and(eq(channelSettings.teamId, teamId), eq(channelSettings.channelId, channelId)));
    return row?.botId ?? null;
  }

  async get(teamId: string, channelId: string): Promise<ChannelSettings> {
    const [row] = await this.db
      .select({ defaultBotId: channelSettings.defaultBotId, guidance: channelSettings.guidance })
      .from(channelSettings)
      .where(and(eq(channelSettings.teamId, teamId), eq(channelSettings.channelId, channelId)));
    return row ?? { defaultBotId: null, guidance: '' };
  }

  async save(teamId: string, channelId: string, changes: Partial<ChannelSettings>): Promise<void> {
    const updatedAt = new Date();
    await this.db
      .insert(channelSettings)
      .values({ teamId, channelId, ...changes, updatedAt })
      .onConflictDoUpdate({
        target: [channelSettings.teamId, channelSettings.channelId],
        set: { ...changes, updatedAt },
      });
  }
}
