import { and, desc, eq, notInArray } from 'drizzle-orm';
import type { Session, SessionStatus } from '../src/domain/sessions';
import type { Database } from './database';
import { newId } from './ids';
import type { NewSession } from './sessions';
import { sessions, sessionTriggers } from './schema';

const FINISHED: SessionStatus[] = ['done', 'failed', 'stopped'];

/** Sessions as Slack triggers find and create them: once per trigger, and by thread. */
export class SessionTriggerRepository {
  constructor(private readonly db: Database) {}

  /**
   * The session this trigger created, creating it now if it has none: a trigger handled twice (a retried job, a
   * redelivered event) gets the same session back. `isNew` tells whether this call created it.
   */
  async createOnce(
    triggerKey: string,
    traceId: string,
    input: NewSession,
  ): Promise<{ session: Session; isNew: boolean }> {
    return this.db.transaction(async (tx) => {
      const [existing] = await tx
        .select({ session: sessions })
        .from(sessionTriggers)
        .innerJoin(sessions, eq(sessions.id, sessionTriggers.sessionId))
        .where(eq(sessionTriggers.triggerKey, triggerKey));
      if (existing) return { session: existing.session as Session, isNew: false };
      const [row] = await tx
        .insert(sessions)
        .values({ ...input, enterpriseId: input.enterpriseId ?? null, id: newId('ses'), status: 'queued' })
        .returning();
      // A concurrent twin fails here on the primary key and its job retries, then finds this session.
      await tx.insert(sessionTriggers).values({ triggerKey, traceId, sessionId: row!.id });
      return { session: row as Session, isNew: true };
    });
  }

  /** The trace id of the Slack request that started a session (undefined for sessions started by the API). */
  async traceOf(sessionId: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ traceId: sessionTriggers.traceId })
      .from(sessionTriggers)
      .where(eq(sessionTriggers.sessionId, sessionId));
    return row?.traceId;
  }

  /** Sessions not finished in this thread, newest first (any bot). */
  async activeInThread(teamId: string, channelId: string, threadTs: string): Promise<Session[]> {
    const rows = await this.db
      .select()
      .from(sessions)
      .where(
        and(
          eq(sessions.teamId, teamId),
          eq(sessions.channelId, channelId),
          eq(sessions.threadTs, threadTs),
          notInArray(sessions.status, FINISHED),
        ),
      )
      .orderBy(desc(sessions.createdAt));
    return rows as Session[];
  }
}
