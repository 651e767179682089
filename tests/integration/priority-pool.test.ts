import { sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../models/database';
import { Foreground } from '../../src/ops/foreground';
import { createScratchPostgres, type ScratchPostgres } from '../support/databases';

// With every connection busy, the next free one goes to the most urgent waiting query: foreground work (what a person
// is waiting to see) by when its task started, the oldest first; other work by when it asked, behind foreground work
// that started up to a second later. Real PostgreSQL, one connection, so queries run one at a time in grant order.

let scratch: ScratchPostgres;
let handle: DatabaseHandle;
let now = 0;
const foreground = new Foreground({ now: () => now });

beforeAll(async () => {
  scratch = await createScratchPostgres();
  handle = await openDatabase({
    databaseUrl: scratch.url,
    dataDir: '',
    isMigrating: false,
    poolSize: 1,
    urgency: () => foreground.urgency(),
  });
});
afterAll(async () => {
  await handle.close();
  await scratch.drop();
});

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Holds the one connection in a transaction until `release` is called. */
async function holdConnection(): Promise<() => Promise<void>> {
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let isHeld = () => undefined as void;
  const holding = new Promise<void>((resolve) => (isHeld = resolve));
  const done = handle.db.transaction(async (tx) => {
    await tx.execute(sql`select 1`);
    isHeld();
    await held;
  });
  await holding;
  return async () => {
    release();
    await done;
  };
}

describe('database connections under contention', () => {
  it('go to the oldest foreground work first, then to background work that asked before newer foreground work', async () => {
    const release = await holdConnection();
    const order: string[] = [];
    const ask = (label: string) =>
      handle.db.execute(sql`select ${label}::text as label`).then(() => void order.push(label));

    now = 0;
    const asked = [ask('background asked at 0')];
    now = 1_500;
    asked.push(foreground.run(() => ask('foreground started at 1500')));
    now = 400;
    asked.push(foreground.run(() => ask('foreground started at 400')));
    now = 100;
    asked.push(foreground.run(() => ask('foreground started at 100')));
    await flush();

    await release();
    await Promise.all(asked);
    expect(order).toEqual([
      'foreground started at 100',
      'foreground started at 400',
      'background asked at 0',
      'foreground started at 1500',
    ]);
  });

  it('are given back when a query fails, and transactions still hold theirs to the end', async () => {
    await expect(handle.db.execute(sql`select 1 / 0`)).rejects.toThrow(/Failed query: select 1 \/ 0/);
    const counted = await handle.db.transaction(async (tx) => {
      await tx.execute(sql`create temporary table seen (n int) on commit drop`);
      await tx.execute(sql`insert into seen values (1), (2)`);
      return tx.execute(sql`select count(*)::int as n from seen`);
    });
    expect(counted).toMatchObject({ rows: [{ n: 2 }] });
    await expect(handle.db.execute(sql`select 'still served'::text as answer`)).resolves.toMatchObject({
      rows: [{ answer: 'still served' }],
    });
  });
});
