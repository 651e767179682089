import { and, eq } from 'drizzle-orm';
import type { Database } from './database';
import { channelSettings } from './schema';

/** Per-channel choices; for now the default bot a mention without a bot name goes to. */
export class ChannelSettingsRepository {
  constructor(private readonly db: Database) {}

  async defaultBotId(teamId: string, channelId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ botId: channelSettings.defaultBotId })
      .from(channelSettings)
      .where(and(eq(channelSettings.teamId, teamId), eq(channelSettings.channelId, channelId)));
    return row?.botId ?? null;
  }
}
