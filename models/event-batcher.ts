import { sql } from 'drizzle-orm';
import type { BatonEvent } from '../src/domain/events';
import type { StoredEvent } from '../src/domain/sessions';
import type { Database } from './database';
import { storableJson } from './storable';

/** One session's events waiting to be stored, and who waits for the outcome. */
interface Entry {
  sessionId: string;
  events: BatonEvent[];
  resolve(stored: StoredEvent[]): void;
  reject(error: unknown): void;
}

export interface EventBatcherOptions {
  /** Events one statement stores at most (a session's whole submission always goes in one statement). */
  maxEventsPerWrite?: number;
  /** Statements in flight at once, each on its own pooled connection. */
  maxWritesInFlight?: number;
  /** Events queued (not yet in a statement) beyond which `append` waits for room before queueing more. */
  maxQueuedEvents?: number;
}

type StoreAlone = (sessionId: string, events: BatonEvent[]) => Promise<StoredEvent[]>;

interface InsertedRow {
  session_id: string;
  provider_event_id: string;
  seq: number | string;
  at: Date | string;
}

/**
 * Stores the events of every running session of the process in shared statements: whatever sessions submit while a
 * write is in flight goes into the next one, as one multi-row INSERT that numbers each session's new events after
 * its last `seq` and skips ids already stored. 200 sessions at 20 events/s cost a few statements a second instead of
 * one transaction of five statements per session and batch.
 *
 * A session's submissions are stored in the order they were made and never in two statements at once. A statement
 * that fails (another process storing the same session's events at the same moment, a deadlock) is retried one
 * session at a time through `storeAlone`, the locked per-session transaction, so nothing is lost or stored twice.
 */
export class EventBatcher {
  private readonly queue: Entry[] = [];
  private queuedEvents = 0;
  private inFlight = 0;
  /** Sessions with events in a statement in flight: their next submission waits for it. */
  private readonly busy = new Set<string>();
  private readonly waitingForRoom: Array<() => void> = [];
  private readonly maxEventsPerWrite: number;
  private readonly maxWritesInFlight: number;
  private readonly maxQueuedEvents: number;

  constructor(
    private readonly db: Database,
    private readonly storeAlone: StoreAlone,
    options: EventBatcherOptions = {},
  ) {
    this.maxEventsPerWrite = options.maxEventsPerWrite ?? 2_000;
    this.maxWritesInFlight = options.maxWritesInFlight ?? 2;
    this.maxQueuedEvents = options.maxQueuedEvents ?? 20_000;
  }

  /** Events queued and not yet in a statement (what back-pressure bounds). */
  get queued(): number {
    return this.queuedEvents;
  }

  /** Stores `events` of one session once each (by id); resolves with those that were new, numbered. */
  async append(sessionId: string, events: BatonEvent[]): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    while (this.queuedEvents >= this.maxQueuedEvents) {
      await new Promise<void>((resolve) => this.waitingForRoom.push(resolve));
    }
    return new Promise<StoredEvent[]>((resolve, reject) => {
      this.queue.push({ sessionId, events, resolve, reject });
      this.queuedEvents += events.length;
      this.pump();
    });
  }

  /** Starts statements while there is queued work for sessions not already being written, and a free slot. */
  private pump(): void {
    while (this.inFlight < this.maxWritesInFlight) {
      const group = this.take();
      if (group.length === 0) return;
      this.inFlight++;
      void this.write(group).finally(() => {
        this.inFlight--;
        for (const entry of group) this.busy.delete(entry.sessionId);
        this.pump();
      });
    }
  }

  /** The oldest entries whose sessions are free, up to the size of one statement; each session once. */
  private take(): Entry[] {
    const group: Entry[] = [];
    const taken = new Set<string>();
    let size = 0;
    for (let i = 0; i < this.queue.length && size < this.maxEventsPerWrite;) {
      const entry = this.queue[i]!;
      if (this.busy.has(entry.sessionId) || taken.has(entry.sessionId)) {
        // Later entries of this session must wait for this one, so it is skipped for the whole round.
        taken.add(entry.sessionId);
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      taken.add(entry.sessionId);
      group.push(entry);
      size += entry.events.length;
    }
    for (const entry of group) this.busy.add(entry.sessionId);
    this.queuedEvents -= size;
    while (this.queuedEvents < this.maxQueuedEvents && this.waitingForRoom.length > 0) this.waitingForRoom.shift()!();
    return group;
  }

  private async write(group: Entry[]): Promise<void> {
    let rows: InsertedRow[];
    try {
      rows = await this.insert(group);
    } catch {
      for (const entry of group) {
        await this.storeAlone(entry.sessionId, entry.events).then(entry.resolve, entry.reject);
      }
      return;
    }
    const stored = new Map<string, InsertedRow>();
    for (const row of rows) stored.set(`${row.session_id}\u0000${row.provider_event_id}`, row);
    for (const entry of group) {
      const fresh: StoredEvent[] = [];
      for (const event of entry.events) {
        const key = `${entry.sessionId}\u0000${event.id}`;
        const row = stored.get(key);
        if (!row) continue;
        // An id given twice is new only the first time.
        stored.delete(key);
        fresh.push({ ...event, seq: Number(row.seq), at: new Date(row.at) } as StoredEvent);
      }
      fresh.sort((a, b) => a.seq - b.seq);
      entry.resolve(fresh);
    }
  }

  /**
   * One statement for the whole group: lock the sessions' rows, number the new events of each after its
   * `last_event_seq` in submission order, insert them and move `last_event_seq` on.
   */
  private async insert(group: Entry[]): Promise<InsertedRow[]> {
    const input: unknown[] = [];
    for (const { sessionId, events } of group) {
      for (const event of events) {
        const { id, raw, kind, ...data } = event;
        const type = typeof raw.type === 'string' ? raw.type : kind;
        input.push({ o: input.length, s: sessionId, p: id, t: type, k: kind, d: data, r: raw });
      }
    }
    const result = await this.db.execute(sql`
      with input as (
        select * from jsonb_to_recordset(${storableJson(input)}::jsonb)
          as x(o int, s text, p text, t text, k text, d jsonb, r jsonb)
      ),
      firsts as (
        select distinct on (s, p) * from input order by s, p, o
      ),
      locked as (
        select id, last_event_seq from sessions
        where id in (select s from firsts) order by id for update
      ),
      fresh as (
        select f.*, l.last_event_seq + row_number() over (partition by f.s order by f.o) as seq
        from firsts f join locked l on l.id = f.s
        where not exists (
          select 1 from session_events e where e.session_id = f.s and e.provider_event_id = f.p
        )
      ),
      inserted as (
        insert into session_events (session_id, seq, provider_event_id, type, kind, data, payload)
        select s, seq, p, t, k, d, r from fresh order by s, seq
        returning session_id, provider_event_id, seq, at
      ),
      bumped as (
        update sessions set last_event_seq = m.seq, updated_at = now()
        from (select session_id, max(seq) as seq from inserted group by session_id) m
        where sessions.id = m.session_id
      )
      select session_id, provider_event_id, seq, at from inserted
    `);
    return (result as unknown as { rows: InsertedRow[] }).rows;
  }
}

/**
 * `markHandled` for every running session of the process in shared statements: marks made while one is in flight
 * are merged (the highest `seq` per session wins) and written together by the next one.
 */
export class HandledMarks {
  private pending = new Map<string, { seq: number; waiters: Array<[() => void, (error: unknown) => void]> }>();
  private isWriting = false;

  constructor(private readonly db: Database) {}

  /** Resolves once `handled_seq` of the session is at least `seq` (it never moves back). */
  mark(sessionId: string, seq: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry = this.pending.get(sessionId) ?? { seq, waiters: [] };
      entry.seq = Math.max(entry.seq, seq);
      entry.waiters.push([resolve, reject]);
      this.pending.set(sessionId, entry);
      this.pump();
    });
  }

  private pump(): void {
    if (this.isWriting || this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.isWriting = true;
    const marks = [...batch].map(([s, { seq }]) => ({ s, q: seq }));
    void this.db
      .execute(
        sql`update sessions set handled_seq = greatest(sessions.handled_seq, m.q)
            from jsonb_to_recordset(${JSON.stringify(marks)}::jsonb) as m(s text, q int) where sessions.id = m.s`,
      )
      .then(
        () => batch.forEach(({ waiters }) => waiters.forEach(([resolve]) => resolve())),
        (error: unknown) => batch.forEach(({ waiters }) => waiters.forEach(([, reject]) => reject(error))),
      )
      .finally(() => {
        this.isWriting = false;
        this.pump();
      });
  }
}
