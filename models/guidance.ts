import { and, eq } from 'drizzle-orm';
import type { GuidanceSource, ThreadGuidance } from '../src/sessions/task-context';
import type { Database } from './database';
import { channelSettings, claudeConnections, cursorConnections, selfHostedConnections } from './schema';

/** Reads the channel's guidance and the bot's (from its Claude, Cursor or Self-hosted connection). */
export class GuidanceRepository implements GuidanceSource {
  constructor(private readonly db: Database) {}

  async forThread(teamId: string, channelId: string, botId: string): Promise<ThreadGuidance> {
    const [[channel], [claude], [cursor], [runtime]] = await Promise.all([
      this.db
        .select({ guidance: channelSettings.guidance })
        .from(channelSettings)
        .where(and(eq(channelSettings.teamId, teamId), eq(channelSettings.channelId, channelId))),
      this.db
        .select({ guidance: claudeConnections.guidance })
        .from(claudeConnections)
        .where(eq(claudeConnections.botId, botId)),
      this.db
        .select({ guidance: cursorConnections.guidance })
        .from(cursorConnections)
        .where(eq(cursorConnections.botId, botId)),
      this.db
        .select({ guidance: selfHostedConnections.guidance })
        .from(selfHostedConnections)
        .where(eq(selfHostedConnections.botId, botId)),
    ]);
    // A bot has one connection, of its type; the others are absent.
    const bot = claude?.guidance || cursor?.guidance || runtime?.guidance || '';
    return { channel: channel?.guidance ?? '', bot };
  }
}
