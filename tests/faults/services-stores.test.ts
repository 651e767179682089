import { Client } from 'pg';
import { adminDatabaseUrl } from '../support/databases';
import { startHarness, type Harness } from '../support/harness';
import {
  expectVisibleEnd,
  midSession,
  mentionBot,
  newTally,
  OwnRedis,
  seen,
  tallyLine,
  type Tally,
} from './services-helpers';

// Baton's own stores fail under running sessions: Redis restarts (its data kept on disk, or gone), and PostgreSQL
// drops Baton's connections. Each session still ends where a person sees it: its answer once, or a note and Retry.

const tally: Tally = newTally();
const startedAt = Date.now();

afterAll(() => {
  console.log(`${tallyLine('services-stores', tally)} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
});

let redis: OwnRedis;
let h: Harness;

beforeAll(async () => {
  redis = await OwnRedis.start();
  // A short job lock, so a run job Redis forgot is seen as stalled within seconds; retries 0.25, 0.5, 1 and 2 s apart
  // (the default is 1 s doubling), so a run outlasts a few seconds of dropped connections.
  h = await startHarness({ REDIS_URL: redis.url, JOB_LOCK_MS: '2000', JOB_BACKOFF_MS: '250' });
});
afterAll(async () => {
  await h.stop();
  await redis.stop();
});
beforeEach(() => h.slack.reset());

/** Ends every connection Baton (and this test) holds to the harness's own scratch database; nothing else. */
async function dropDatabaseConnections(): Promise<number> {
  const name = new URL(h.config.databaseUrl!).pathname.slice(1);
  expect(name).toMatch(/^baton_test_[0-9a-f]+$/);
  const admin = new Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return rows.filter((r) => r.ended).length;
  } finally {
    await admin.end();
  }
}

describe('Redis restarted mid-session', () => {
  it('with its data kept: the session goes on and its answer is in the thread once', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '250', text: 'Answer across a Redis restart.' });
    const { bot, threadTs } = await mentionBot(h, 'redis-kept');
    await midSession(h, bot.id);
    await redis.restart({ keepData: true });
    tally.faults += 1;
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer across a Redis restart.'), tally, 'done');
  });

  it('with its data gone: the running session still ends with its answer once', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '250', text: 'Answer after Redis forgot.' });
    const { bot, threadTs } = await mentionBot(h, 'redis-gone');
    await midSession(h, bot.id);
    await redis.restart({ keepData: false });
    tally.faults += 1;
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer after Redis forgot.'), tally, 'done');
  });
});

describe('PostgreSQL drops Baton’s connections mid-session', () => {
  it('once: the run resumes from the stored events and the answer is in the thread once', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '250', text: 'Answer across a dropped database.' });
    const { bot, threadTs } = await mentionBot(h, 'pg-once');
    await midSession(h, bot.id);
    expect(await dropDatabaseConnections()).toBeGreaterThan(0);
    tally.faults += 1;
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer across a dropped database.'), tally, 'done');
  });

  it('every 40 ms while it runs: it still ends in a state a person can see', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '250', text: 'Answer through flapping connections.' });
    const { bot, threadTs } = await mentionBot(h, 'pg-flap');
    await midSession(h, bot.id);
    // Every 40 ms for a second and a half: some of these land on queries in flight, not only on idle connections.
    for (let i = 0; i < 40; i += 1) {
      await dropDatabaseConnections();
      tally.faults += 1;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer through flapping connections.'), tally);
  });
});
