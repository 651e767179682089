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
  /** Baton's BATON_ROLE: `all` as `npm start` runs it; `web` leaves out the in-process worker (a diagnostic). */
  batonRole: 'all' | 'web';
}

/** The targets from the Foundation milestone. */
export const TARGETS = { maxP99Ratio: 1.3, maxP99Ms: 25 } as const;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}

function batonRole(raw: string | undefined): BenchSettings['batonRole'] {
  if (raw === undefined || raw === '' || raw === 'all') return 'all';
  if (raw === 'web') return 'web';
  throw new Error(`BENCH_BATON_ROLE must be all or web (got "${raw}")`);
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
    batonRole: batonRole(env.BENCH_BATON_ROLE),
  };
}
