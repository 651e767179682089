import { and, desc, eq, notInArray, sql } from 'drizzle-orm';
import type { Session, SessionStatus } from '../src/domain/sessions';
import type { Database } from './database';
import { isUniqueViolation } from './errors';
import { newId } from './ids';
import type { NewSession } from './sessions';
import { sessions, sessionTriggers } from './schema';

const FINISHED: SessionStatus[] = ['done', 'failed', 'stopped'];

/** Sessions as Slack triggers find and create them: once per trigger, and by thread. */
export class SessionTriggerRepository {
  /** Every mention looks for its thread's session: built once, prepared by name. */
  private readonly activeIn;

  constructor(private readonly db: Database) {
    this.activeIn = db
      .select()
      .from(sessions)
      .where(
        and(
          eq(sessions.teamId, sql.placeholder('teamId')),
          eq(sessions.channelId, sql.placeholder('channelId')),
          eq(sessions.threadTs, sql.placeholder('threadTs')),
          notInArray(sessions.status, FINISHED),
        ),
      )
      .orderBy(desc(sessions.createdAt))
      .prepare('sessions_active_in_thread');
  }

  /**
   * The session this trigger created, creating it now if it has none: a trigger handled twice (a retried job, a
   * redelivered event) gets the same session back. `isNew` tells whether this call created it. The session and its
   * trigger are made by one statement (a mention's first sign waits for it); a trigger that has its session already
   * fails it on the trigger's key, leaving nothing behind, and the session is read instead.
   */
  async createOnce(
    triggerKey: string,
    traceId: string,
    input: NewSession,
  ): Promise<{ session: Session; isNew: boolean }> {
    const id = newId('ses');
    const made = this.db.$with('made').as(
      this.db
        .insert(sessions)
        .values({ ...input, enterpriseId: input.enterpriseId ?? null, id, status: 'queued' })
        .returning(),
    );
    const linked = this.db
      .$with('linked')
      .as(this.db.insert(sessionTriggers).values({ triggerKey, traceId, sessionId: id }).returning());
    try {
      const [row] = await this.db.with(made, linked).select().from(made);
      return { session: row as Session, isNew: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const [existing] = await this.db
      .select({ session: sessions })
      .from(sessionTriggers)
      .innerJoin(sessions, eq(sessions.id, sessionTriggers.sessionId))
      .where(eq(sessionTriggers.triggerKey, triggerKey));
    // A twin's statement that held the key has committed by the time this one fails on it; only a session deleted
    // in between (with its bot) leaves nothing to read, and the job's next attempt decides again.
    if (!existing) throw new Error(`the session of trigger ${triggerKey} was deleted while it was being read`);
    return { session: existing.session as Session, isNew: false };
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
    return (await this.activeIn.execute({ teamId, channelId, threadTs })) as Session[];
  }
}
