export interface BenchSettings {
  /** Requests per second sent to each target. */
  rps: number;
  /** Measured seconds per target and request kind. */
  seconds: number;
  segmentSeconds: number;
  warmupSeconds: number;
  settleMs: number;
  /** Before each segment, wait (up to `quietWaitMs`) until other work leaves the machine under this % busy. */
  quietPercent: number;
  quietWaitMs: number;
  /** Enqueue → pick-up: how many jobs, how many per second, and the worker's concurrency (Baton's default). */
  jobs: number;
  jobRps: number;
  workerConcurrency: number;
  /**
   * Baton's BATON_ROLE in the ack part, one run each: `web` beside a worker in its own process (target: p99 ≤ 1.3 ×
   * bare Bolt's) and `all` as `npm start` runs it (target: p99 ≤ 25 ms). BENCH_BATON_ROLE picks one.
   */
  batonRoles: AckRole[];
  /** `BENCH_ONLY`: run one part only (`ack` is the ack bench with pick-up, `sessions` the sessions bench). */
  only: 'ack' | 'sessions' | undefined;
  sessions: SessionsSettings;
}

export type AckRole = 'all' | 'web';

export interface SessionsSettings {
  /** Sessions started in total, spread evenly over the workspaces, all within about `spreadMs`. */
  count: number;
  workspaces: number;
  /** Events each provider session emits per second, and for how long, before its final answer. */
  eventsPerSecond: number;
  seconds: number;
  spreadMs: number;
  /** Baton's SESSION_CONCURRENCY: at least `count`, so every session runs at once. */
  sessionConcurrency: number;
  /**
   * `BENCH_DATABASE`: `postgres` (a scratch database on the test server) or `pglite`, the embedded database
   * `npm start` uses without DATABASE_URL (a fresh DATA_DIR; the bench reads it once Baton has stopped).
   */
  database: 'postgres' | 'pglite';
  /**
   * Channels each workspace's sessions are spread over, one run per entry: a realistic spread (5) and the
   * single-channel case. The fake Slack enforces Slack's published limits (tests/fakes/slack/slack-limits.ts).
   */
  channelLayouts: number[];
  /**
   * BENCH_WORKERS: worker processes of the scale-out layout (one web process beside them, same Redis and PostgreSQL),
   * run after the single-process layouts with sessions spread over the channels; 0 leaves it out.
   */
  workers: number;
  /**
   * BENCH_WARM_UP_SESSIONS: sessions Baton runs (`WARM_UP_SECONDS` each, in a workspace of its own) before the
   * measured ones, so the figures are those of a process that has served work before, as the ack figures are; 0
   * measures a cold process.
   */
  warmUpSessions: number;
}

/** How long each warm-up session emits events before its answer (see `warmUpSessions`). */
export const WARM_UP_SECONDS = 3;

/** The targets from the Foundation milestone. */
export const TARGETS = { maxP99Ratio: 1.3, maxP99Ms: 25 } as const;

/** The targets of the sessions milestones (ratios are to the floor Slack's limits impose in the same run). */
export const SESSION_TARGETS = {
  firstCallP95Ms: 150,
  rateLimited: 0,
  maxGapRatio: 1.2,
  finalP95FloorRatio: 1.2,
  cardUpdatesWithinSecond: 0,
  progressGapMs: 10_000,
  storedLagP95Ms: 200,
  rssMiB: 300,
  /** On PGlite, with 30 sessions (the database lives in Baton's process). */
  pgliteRssMiB: 400,
} as const;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}

function only(raw: string | undefined): BenchSettings['only'] {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'ack' || raw === 'sessions') return raw;
  throw new Error(`BENCH_ONLY must be ack or sessions (got "${raw}")`);
}

function database(raw: string | undefined): SessionsSettings['database'] {
  if (raw === undefined || raw === '' || raw === 'postgres') return 'postgres';
  if (raw === 'pglite') return 'pglite';
  throw new Error(`BENCH_DATABASE must be postgres or pglite (got "${raw}")`);
}

function batonRoles(raw: string | undefined): AckRole[] {
  if (raw === undefined || raw === '') return ['web', 'all'];
  if (raw === 'all' || raw === 'web') return [raw];
  throw new Error(`BENCH_BATON_ROLE must be all or web (got "${raw}")`);
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number (got "${raw}")`);
  return value;
}

/** BENCH_SECONDS=5 BENCH_RPS=100 npm run bench gives a quick run. */
export function readSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const seconds = positive(env, 'BENCH_SECONDS', 30);
  return {
    rps: positive(env, 'BENCH_RPS', 200),
    seconds,
    segmentSeconds: positive(env, 'BENCH_SEGMENT_SECONDS', Math.min(2, seconds)),
    warmupSeconds: positive(env, 'BENCH_WARMUP_SECONDS', 3),
    settleMs: 500,
    quietPercent: positive(env, 'BENCH_QUIET_PERCENT', 25),
    quietWaitMs: 60_000,
    jobs: Math.round(positive(env, 'BENCH_JOBS', 2_000)),
    jobRps: positive(env, 'BENCH_JOB_RPS', 200),
    workerConcurrency: 20,
    batonRoles: batonRoles(env.BENCH_BATON_ROLE),
    only: only(env.BENCH_ONLY),
    sessions: readSessionsSettings(env),
  };
}

/** BENCH_SESSIONS=40 BENCH_SESSION_SECONDS=10 BENCH_ONLY=sessions npm run bench gives a quick sessions run. */
function readSessionsSettings(env: NodeJS.ProcessEnv): SessionsSettings {
  const count = Math.round(positive(env, 'BENCH_SESSIONS', 200));
  return {
    count,
    workspaces: Math.round(positive(env, 'BENCH_WORKSPACES', 10)),
    eventsPerSecond: positive(env, 'BENCH_EVENTS_PER_SECOND', 20),
    seconds: positive(env, 'BENCH_SESSION_SECONDS', 20),
    spreadMs: 2_000,
    sessionConcurrency: Math.max(count, 200),
    database: database(env.BENCH_DATABASE),
    channelLayouts: [Math.round(positive(env, 'BENCH_CHANNELS', 5)), 1],
    workers: wholeNumber(env, 'BENCH_WORKERS', 2),
    warmUpSessions: wholeNumber(env, 'BENCH_WARM_UP_SESSIONS', 20),
  };
}
