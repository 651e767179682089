import { and, asc, count, eq, isNotNull, isNull } from 'drizzle-orm';
import type { FollowUp, FollowUpStore } from '../src/ports/follow-ups';
import type { Database } from './database';
import { sessionFollowUps } from './schema';

/** Follow-ups of a session, stored when they arrive and sent once, in the order they arrived. */
export class FollowUpRepository implements FollowUpStore {
  constructor(private readonly db: Database) {}

  /** Stores a follow-up once per Slack message; false when it was stored before. */
  async add(sessionId: string, followUp: FollowUp): Promise<boolean> {
    const rows = await this.db
      .insert(sessionFollowUps)
      .values({ sessionId, ...followUp })
      .onConflictDoNothing()
      .returning({ messageTs: sessionFollowUps.messageTs });
    return rows.length > 0;
  }

  /** Follow-ups not sent yet, oldest first. */
  async pending(sessionId: string): Promise<FollowUp[]> {
    return this.db
      .select({ messageTs: sessionFollowUps.messageTs, userId: sessionFollowUps.userId, text: sessionFollowUps.text })
      .from(sessionFollowUps)
      .where(and(eq(sessionFollowUps.sessionId, sessionId), isNull(sessionFollowUps.sentAt)))
      .orderBy(asc(sessionFollowUps.seq));
  }

  /** Marks a follow-up as sent; only one caller wins, and only the winner sends it. */
  async claim(sessionId: string, messageTs: string): Promise<boolean> {
    const rows = await this.db
      .update(sessionFollowUps)
      .set({ sentAt: new Date() })
      .where(
        and(
          eq(sessionFollowUps.sessionId, sessionId),
          eq(sessionFollowUps.messageTs, messageTs),
          isNull(sessionFollowUps.sentAt),
        ),
      )
      .returning({ messageTs: sessionFollowUps.messageTs });
    return rows.length > 0;
  }

  /** How many follow-ups reached the provider: each asks for one more turn. */
  async sentCount(sessionId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(sessionFollowUps)
      .where(and(eq(sessionFollowUps.sessionId, sessionId), isNotNull(sessionFollowUps.sentAt)));
    return row?.n ?? 0;
  }
}
