import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';

/** How soon a query asked for now should run: the smallest goes first. Called when the query asks. */
export type Urgency = () => number;

interface Waiter {
  key: number;
  order: number;
  grant: () => void;
}

/**
 * Lends the pool's connections to the most urgent caller rather than to the first to ask. Under a burst of mentions
 * hundreds of queries wait for a connection, and first come, first served moved every session one query at a time,
 * so each person's card waited on every other session's queries. `urgency` says who goes first (see
 * `Foreground.urgency`). At most `slots` queries and transactions hold connections at once, as many as the pool
 * opens, so nothing waits inside the pool, where the order is its own.
 */
export class PriorityPool {
  private free: number;
  /** Sorted by key, then by when each asked. */
  private readonly waiting: Waiter[] = [];
  private asked = 0;

  constructor(
    private readonly pool: Pool,
    slots: number,
    private readonly urgency: Urgency,
  ) {
    this.free = slots;
  }

  async query(config: QueryConfig | string, values?: unknown[]): Promise<QueryResult> {
    const release = await this.slot();
    try {
      return await this.pool.query(config, values);
    } finally {
      release();
    }
  }

  /** A connection for a transaction: its slot is given back with the connection. */
  async connect(): Promise<PoolClient> {
    const release = await this.slot();
    const client = await this.pool.connect().catch((error: unknown) => {
      release();
      throw error;
    });
    // The pool sets `release` afresh on every checkout, so this wraps only this one.
    const giveBack = client.release.bind(client);
    client.release = (error?: Error | boolean) => {
      release();
      giveBack(error);
    };
    return client;
  }

  private async slot(): Promise<() => void> {
    if (this.free > 0 && this.waiting.length === 0) {
      this.free--;
    } else {
      await new Promise<void>((grant) => this.enter({ key: this.urgency(), order: this.asked++, grant }));
    }
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.free++;
    };
  }

  private enter(waiter: Waiter): void {
    // Binary search for the first waiter that goes after this one (equal keys keep their order).
    let low = 0;
    let high = this.waiting.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.waiting[mid]!.key <= waiter.key) low = mid + 1;
      else high = mid;
    }
    this.waiting.splice(low, 0, waiter);
  }
}
