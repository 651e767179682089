import { asc, eq } from 'drizzle-orm';
import { BATON_EVENT_KINDS, type BatonEvent } from '../src/domain/events';
import type { RuntimeInbox } from '../src/ports/runtime';
import type { Database } from './database';
import { runtimeEvents } from './schema';

const KINDS = new Set<string>(BATON_EVENT_KINDS);
const isBatonEvent = (value: Record<string, unknown>): value is BatonEvent & Record<string, unknown> =>
  typeof value.id === 'string' && typeof value.kind === 'string' && KINDS.has(value.kind);

/** The per-session inbox of a self-hosted session: what the runtime and Baton reported, once per key. */
export class RuntimeEventRepository implements RuntimeInbox {
  constructor(private readonly db: Database) {}

  async append(sessionId: string, eventKey: string, events: BatonEvent[]): Promise<boolean> {
    const inserted = await this.db
      .insert(runtimeEvents)
      .values({ sessionId, eventKey, events: events as unknown as Record<string, unknown>[] })
      .onConflictDoNothing()
      .returning({ id: runtimeEvents.id });
    return inserted.length > 0;
  }

  /** Every entry of the session, in the order they were written (a session holds tens, not thousands). */
  async list(sessionId: string): Promise<BatonEvent[]> {
    const rows = await this.db
      .select({ events: runtimeEvents.events })
      .from(runtimeEvents)
      .where(eq(runtimeEvents.sessionId, sessionId))
      .orderBy(asc(runtimeEvents.id));
    return rows.flatMap((row) => row.events.filter(isBatonEvent));
  }
}
