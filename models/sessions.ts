import { and, asc, desc, eq, gt, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { BatonEvent } from '../src/domain/events';
import type {
  AgentStatus,
  OpeningMessage,
  Session,
  SessionStatus,
  SessionTrigger,
  StoredEvent,
} from '../src/domain/sessions';
import type { Database } from './database';
import { EventBatcher, HandledMarks, type EventBatcherOptions } from './event-batcher';
import { newId } from './ids';
import { sessionEvents, sessionFollowUps, sessions, threadPosts } from './schema';

/** A follow-up waiting for (or sent to) the provider session. */
export interface FollowUp {
  key: string;
  userId: string;
  text: string;
}

type EventRow = typeof sessionEvents.$inferSelect;

/** Baton's event back from its row: the normalised fields, the id and the raw payload. */
const toStored = (row: Pick<EventRow, 'seq' | 'providerEventId' | 'kind' | 'data' | 'payload' | 'at'>): StoredEvent =>
  ({ ...row.data, kind: row.kind, id: row.providerEventId, raw: row.payload, seq: row.seq, at: row.at }) as StoredEvent;

function toRow(event: BatonEvent) {
  const { id, raw, kind, ...data } = event;
  return { providerEventId: id, kind, data, payload: raw, type: typeof raw.type === 'string' ? raw.type : kind };
}

export interface LogPage {
  events: StoredEvent[];
  total: number;
  page: number;
  pages: number;
  firstAt: Date | null;
}

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
  openingMessage?: OpeningMessage | undefined;
  parentSessionId?: string | undefined;
}

const FINISHED: SessionStatus[] = ['done', 'failed', 'stopped'];

export class SessionRepository {
  private readonly batcher: EventBatcher;
  private readonly handledMarks: HandledMarks;
  // The hottest reads: every job about a session starts with the first, every agent's start asks the second.
  // Built once, prepared by name.
  private readonly byId;
  private readonly runningIn;

  constructor(
    private readonly db: Database,
    batching: EventBatcherOptions = {},
  ) {
    this.batcher = new EventBatcher(db, (sessionId, events) => this.appendEventsAlone(sessionId, events), batching);
    this.handledMarks = new HandledMarks(db);
    this.byId = db
      .select()
      .from(sessions)
      .where(eq(sessions.id, sql.placeholder('id')))
      .prepare('sessions_by_id');
    this.runningIn = db
      .select({ count: sql<number>`count(*)::int` })
      .from(sessions)
      .where(
        and(
          eq(sessions.teamId, sql.placeholder('teamId')),
          inArray(sessions.status, ['starting', 'running', 'awaiting_input']),
        ),
      )
      .prepare('sessions_running_in_team');
  }

  async create(input: NewSession): Promise<Session> {
    const [row] = await this.db
      .insert(sessions)
      .values({ ...input, enterpriseId: input.enterpriseId ?? null, id: newId('ses'), status: 'queued' })
      .returning();
    return row as Session;
  }

  async get(id: string): Promise<Session | undefined> {
    const [row] = await this.byId.execute({ id });
    return row as Session | undefined;
  }

  /** Remembers that the session's tools read another channel (once per channel). */
  async noteChannelRead(id: string, channel: string): Promise<void> {
    await this.db
      .update(sessions)
      .set({ readChannels: sql`array_append(${sessions.readChannels}, ${channel})` })
      .where(and(eq(sessions.id, id), sql`not (${channel} = any(${sessions.readChannels}))`));
  }

  /** How many sessions of the workspace have started talking to their agent and not finished. */
  async countRunning(teamId: string): Promise<number> {
    const [row] = await this.runningIn.execute({ teamId });
    return row?.count ?? 0;
  }

  /** How many sessions of the workspace have not finished (queued ones included). */
  async countActive(teamId: string): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(sessions)
      .where(and(eq(sessions.teamId, teamId), notInArray(sessions.status, FINISHED)));
    return row?.count ?? 0;
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
   * Stores Baton events once each (by provider id), numbering new ones after the last stored `seq`.
   * Returns only the events that were new. Every session of the process shares the statements (see EventBatcher).
   */
  appendEvents(sessionId: string, events: BatonEvent[]): Promise<StoredEvent[]> {
    return this.batcher.append(sessionId, events);
  }

  /** appendEvents in a transaction of its own, holding the session's row: what a failed shared statement falls back to. */
  async appendEventsAlone(sessionId: string, events: BatonEvent[]): Promise<StoredEvent[]> {
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
              events.map((e) => e.id),
            ),
          ),
        );
      const seen = new Set(known.map((k) => k.id));
      let seq = session.lastEventSeq;
      const fresh: Array<{ event: BatonEvent; seq: number }> = [];
      for (const event of events) {
        if (seen.has(event.id)) continue;
        seen.add(event.id);
        fresh.push({ event, seq: ++seq });
      }
      if (fresh.length === 0) return [];
      const [first] = await tx
        .insert(sessionEvents)
        .values(fresh.map(({ event, seq: s }) => ({ ...toRow(event), sessionId, seq: s })))
        .returning({ at: sessionEvents.at });
      await tx.update(sessions).set({ lastEventSeq: seq, updatedAt: new Date() }).where(eq(sessions.id, sessionId));
      // One statement, one `now()`: every row of the batch has the same `at`.
      const at = first?.at ?? new Date();
      return fresh.map(({ event, seq: s }) => ({ ...event, seq: s, at }) as StoredEvent);
    });
  }

  async events(sessionId: string, afterSeq = 0): Promise<StoredEvent[]> {
    const rows = await this.db
      .select({
        seq: sessionEvents.seq,
        providerEventId: sessionEvents.providerEventId,
        kind: sessionEvents.kind,
        data: sessionEvents.data,
        payload: sessionEvents.payload,
        at: sessionEvents.at,
      })
      .from(sessionEvents)
      .where(and(eq(sessionEvents.sessionId, sessionId), gt(sessionEvents.seq, afterSeq)))
      .orderBy(asc(sessionEvents.seq));
    return rows.map(toStored);
  }

  /**
   * One page of the session's log (`page` from 1; 0 or past the end means the last page), read from the database
   * without the raw provider payloads, with the total count and the first event's time.
   */
  async logPage(sessionId: string, page: number, size: number): Promise<LogPage> {
    const [stats] = await this.db
      .select({ total: sql<number>`count(*)::int`, firstAt: sql<Date | null>`min(${sessionEvents.at})` })
      .from(sessionEvents)
      .where(eq(sessionEvents.sessionId, sessionId));
    const total = stats?.total ?? 0;
    const pages = Math.max(1, Math.ceil(total / size));
    const current = page < 1 || page > pages ? pages : page;
    const rows = await this.db
      .select({
        seq: sessionEvents.seq,
        providerEventId: sessionEvents.providerEventId,
        kind: sessionEvents.kind,
        data: sessionEvents.data,
        at: sessionEvents.at,
      })
      .from(sessionEvents)
      .where(eq(sessionEvents.sessionId, sessionId))
      .orderBy(asc(sessionEvents.seq))
      .offset((current - 1) * size)
      .limit(size);
    const firstAt = stats?.firstAt ? new Date(stats.firstAt) : null;
    return { events: rows.map((row) => toStored({ ...row, payload: {} })), total, page: current, pages, firstAt };
  }

  /** Marks events up to `seq` as acted on (never moves back); marks of every session share statements. */
  markHandled(sessionId: string, seq: number): Promise<void> {
    return this.handledMarks.mark(sessionId, seq);
  }

  /** One more follow-up turn sent to the provider, counted in one statement (two jobs may send at once). */
  async countFollowUpAsked(sessionId: string): Promise<void> {
    await this.db
      .update(sessions)
      .set({ followUpsAsked: sql`${sessions.followUpsAsked} + 1`, updatedAt: new Date() })
      .where(eq(sessions.id, sessionId));
  }

  /** Follow-up turns that have ended so far (never moves back, so a replayed turn end changes nothing). */
  async recordFollowUpsAnswered(sessionId: string, answered: number): Promise<void> {
    await this.db
      .update(sessions)
      .set({ followUpsAnswered: sql`greatest(${sessions.followUpsAnswered}, ${answered})` })
      .where(eq(sessions.id, sessionId));
  }

  /** Keeps a follow-up until it can be sent; false when this key was already added (a retried delivery). */
  async addFollowUp(sessionId: string, followUp: FollowUp): Promise<boolean> {
    const rows = await this.db
      .insert(sessionFollowUps)
      .values({ sessionId, ...followUp })
      .onConflictDoNothing()
      .returning({ key: sessionFollowUps.key });
    return rows.length > 0;
  }

  /** Follow-ups not sent yet, oldest first. */
  async unsentFollowUps(sessionId: string): Promise<FollowUp[]> {
    return this.db
      .select({ key: sessionFollowUps.key, userId: sessionFollowUps.userId, text: sessionFollowUps.text })
      .from(sessionFollowUps)
      .where(and(eq(sessionFollowUps.sessionId, sessionId), isNull(sessionFollowUps.sentAt)))
      .orderBy(asc(sessionFollowUps.createdAt));
  }

  /** Claims a follow-up for sending; false when another job claimed it first (so it is sent at most once). */
  async claimFollowUp(sessionId: string, key: string): Promise<boolean> {
    const rows = await this.db
      .update(sessionFollowUps)
      .set({ sentAt: new Date() })
      .where(
        and(eq(sessionFollowUps.sessionId, sessionId), eq(sessionFollowUps.key, key), isNull(sessionFollowUps.sentAt)),
      )
      .returning({ key: sessionFollowUps.key });
    return rows.length > 0;
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

  async recordPosts(sessionId: string, posts: ReadonlyArray<{ postKey: string; ts: string }>): Promise<void> {
    await this.db
      .insert(threadPosts)
      .values(posts.map((post) => ({ sessionId, ...post })))
      .onConflictDoUpdate({ target: [threadPosts.sessionId, threadPosts.postKey], set: { ts: sql`excluded.ts` } });
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
