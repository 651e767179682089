import { and, eq } from 'drizzle-orm';
import type { GuidanceSource, ThreadGuidance } from '../src/sessions/task-context';
import type { Database } from './database';
import { channelSettings, claudeConnections } from './schema';

/** Reads `channel_settings.guidance` and `claude_connections.guidance` for a session's context. */
export class GuidanceRepository implements GuidanceSource {
  constructor(private readonly db: Database) {}

  async forThread(teamId: string, channelId: string, botId: string): Promise<ThreadGuidance> {
    const [[channel], [bot]] = await Promise.all([
      this.db
        .select({ guidance: channelSettings.guidance })
        .from(channelSettings)
        .where(and(eq(channelSettings.teamId, teamId), eq(channelSettings.channelId, channelId))),
      this.db
        .select({ guidance: claudeConnections.guidance })
        .from(claudeConnections)
        .where(eq(claudeConnections.botId, botId)),
    ]);
    return { channel: channel?.guidance ?? '', bot: bot?.guidance ?? '' };
  }
}
