import { and, asc, desc, eq, gt, inArray, notInArray, sql } from 'drizzle-orm';
import type { AgentStatus, Session, SessionStatus, SessionTrigger, StoredEvent } from '../src/domain/sessions';
import type { Database } from './database';
import { newId } from './ids';
import { sessionEvents, sessions, threadPosts } from './schema';

export interface NewSession {
  teamId: string;
  enterpriseId?: string | undefined;
  botId: string;
  channelId: string;
  threadTs: string;
  trigger: SessionTrigger;
  triggerTs: string;
  requesterId: string;
  task: string;
}

const FINISHED: SessionStatus[] = ['done', 'failed', 'stopped'];

export class SessionRepository {
  constructor(private readonly db: Database) {}

  async create(input: NewSession): Promise<Session> {
    const [row] = await this.db
      .insert(sessions)
      .values({ ...input, enterpriseId: input.enterpriseId ?? null, id: newId('ses'), status: 'queued' })
      .returning();
    return row as Session;
  }

  async get(id: string): Promise<Session | undefined> {
    const [row] = await this.db.select().from(sessions).where(eq(sessions.id, id));
    return row as Session | undefined;
  }

  /** A session of this bot still running in this thread, which a new mention joins as a follow-up. */
  async findActive(teamId: string, channelId: string, threadTs: string, botId: string): Promise<Session | undefined> {
    const [row] = await this.db
      .select()
      .from(sessions)
      .where(
        and(
          eq(sessions.teamId, teamId),
          eq(sessions.channelId, channelId),
          eq(sessions.threadTs, threadTs),
          eq(sessions.botId, botId),
          notInArray(sessions.status, FINISHED),
        ),
      )
      .orderBy(desc(sessions.createdAt))
      .limit(1);
    return row as Session | undefined;
  }

  /** Sessions not finished yet: after a restart each gets its stream job back. */
  async listUnfinished(): Promise<Session[]> {
    return (await this.db.select().from(sessions).where(notInArray(sessions.status, FINISHED))) as Session[];
  }

  async listForBot(botId: string, limit: number): Promise<Session[]> {
    const rows = await this.db
      .select()
      .from(sessions)
      .where(eq(sessions.botId, botId))
      .orderBy(desc(sessions.createdAt))
      .limit(limit);
    return rows as Session[];
  }

  async update(
    id: string,
    changes: Partial<
      Pick<
        Session,
        | 'status'
        | 'statusReason'
        | 'providerSessionId'
        | 'providerState'
        | 'cardTs'
        | 'usage'
        | 'isStopRequested'
        | 'endedAt'
      >
    >,
  ): Promise<void> {
    await this.db
      .update(sessions)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(sessions.id, id));
  }

  /** Sets some keys of the provider state in one statement, keeping the keys another job wrote meanwhile. */
  async mergeProviderState(id: string, changes: Record<string, string>): Promise<void> {
    await this.db
      .update(sessions)
      .set({
        providerState: sql`${sessions.providerState} || ${JSON.stringify(changes)}::jsonb`,
        updatedAt: new Date(),
      })
      .where(eq(sessions.id, id));
  }

  /** Moves to a finished status once; false when the session had already finished. */
  async finish(id: string, status: 'done' | 'failed' | 'stopped', reason: string | null): Promise<boolean> {
    const rows = await this.db
      .update(sessions)
      .set({ status, statusReason: reason, endedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(sessions.id, id), notInArray(sessions.status, FINISHED)))
      .returning({ id: sessions.id });
    return rows.length > 0;
  }

  async setAgentStatus(id: string, status: AgentStatus, reason: string): Promise<void> {
    await this.db
      .update(sessions)
      .set({ agentStatus: status, agentStatusReason: reason, updatedAt: new Date() })
      .where(eq(sessions.id, id));
  }

  /**
   * Stores provider events once each (by provider id), numbering new ones after the last stored `seq`.
   * Returns only the events that were new.
   */
  async appendEvents(
    sessionId: string,
    events: Array<{ providerEventId: string; type: string; payload: Record<string, unknown> }>,
  ): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    return this.db.transaction(async (tx) => {
      const [session] = await tx
        .select({ lastEventSeq: sessions.lastEventSeq })
        .from(sessions)
        .where(eq(sessions.id, sessionId))
        .for('update');
      if (!session) return [];
      const known = await tx
        .select({ id: sessionEvents.providerEventId })
        .from(sessionEvents)
        .where(
          and(
            eq(sessionEvents.sessionId, sessionId),
            inArray(
              sessionEvents.providerEventId,
              events.map((e) => e.providerEventId),
            ),
          ),
        );
      const seen = new Set(known.map((k) => k.id));
      let seq = session.lastEventSeq;
      const fresh: Array<(typeof events)[number] & { sessionId: string; seq: number }> = [];
      for (const event of events) {
        if (seen.has(event.providerEventId)) continue;
        seen.add(event.providerEventId);
        fresh.push({ ...event, sessionId, seq: ++seq });
      }
      if (fresh.length === 0) return [];
      const inserted = await tx.insert(sessionEvents).values(fresh).returning();
      await tx.update(sessions).set({ lastEventSeq: seq, updatedAt: new Date() }).where(eq(sessions.id, sessionId));
      return inserted.map(({ seq: s, providerEventId, type, payload, at }) => ({
        seq: s,
        providerEventId,
        type,
        payload,
        at,
      }));
    });
  }

  async events(sessionId: string, afterSeq = 0): Promise<StoredEvent[]> {
    return this.db
      .select({
        seq: sessionEvents.seq,
        providerEventId: sessionEvents.providerEventId,
        type: sessionEvents.type,
        payload: sessionEvents.payload,
        at: sessionEvents.at,
      })
      .from(sessionEvents)
      .where(and(eq(sessionEvents.sessionId, sessionId), gt(sessionEvents.seq, afterSeq)))
      .orderBy(asc(sessionEvents.seq));
  }

  /** Claims a thread post by key; false when a previous run already made (or started) it. */
  async claimPost(sessionId: string, postKey: string): Promise<boolean> {
    const rows = await this.db
      .insert(threadPosts)
      .values({ sessionId, postKey })
      .onConflictDoNothing()
      .returning({ postKey: threadPosts.postKey });
    return rows.length > 0;
  }

  async recordPost(sessionId: string, postKey: string, ts: string): Promise<void> {
    await this.db
      .update(threadPosts)
      .set({ ts })
      .where(and(eq(threadPosts.sessionId, sessionId), eq(threadPosts.postKey, postKey)));
  }

  async postTs(sessionId: string, postKey: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ ts: threadPosts.ts })
      .from(threadPosts)
      .where(and(eq(threadPosts.sessionId, sessionId), eq(threadPosts.postKey, postKey)));
    return row?.ts ?? undefined;
  }

  async postedKeys(sessionId: string): Promise<Set<string>> {
    const rows = await this.db
      .select({ postKey: threadPosts.postKey })
      .from(threadPosts)
      .where(and(eq(threadPosts.sessionId, sessionId), sql`${threadPosts.ts} is not null`));
    return new Set(rows.map((r) => r.postKey));
  }
}
