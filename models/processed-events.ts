import { lte, sql } from 'drizzle-orm';
import type { EventDedupe } from '../src/ports/storage';
import type { Database } from './database';
import { processedEvents } from './schema';

/**
 * Slack event dedupe shared by every web process. Times come from the database clock, so processes with
 * drifting clocks still agree on when a claim expires.
 */
export class ProcessedEvents implements EventDedupe {
  constructor(private readonly db: Database) {}

  async claim(eventId: string, ttlMs: number): Promise<boolean> {
    const expiresAt = sql`now() + ${ttlMs}::double precision * interval '1 millisecond'`;
    // One statement, so two deliveries racing for the same id cannot both win: the loser waits on the row
    // lock, then sees an unexpired claim and updates nothing. An expired claim is taken over in place.
    const claimed = await this.db
      .insert(processedEvents)
      .values({ eventId, expiresAt })
      .onConflictDoUpdate({
        target: processedEvents.eventId,
        set: { expiresAt: sql`excluded.expires_at` },
        setWhere: sql`${processedEvents.expiresAt} <= now()`,
      })
      .returning({ eventId: processedEvents.eventId });
    return claimed.length > 0;
  }

  /** Deletes claims that expired at or before `now` (default: the database's now()); returns how many. */
  async purgeExpired(now?: Date): Promise<number> {
    const deleted = await this.db
      .delete(processedEvents)
      .where(lte(processedEvents.expiresAt, now ?? sql`now()`))
      .returning({ eventId: processedEvents.eventId });
    return deleted.length;
  }
}
