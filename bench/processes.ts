import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

// Longer than the grace Baton's worker gives running jobs when it stops (25 s): the ack bench's pings leave jobs
// waiting for the workspace's reactions budget (Tier 3, one call each 1.2 s), and they may use all of it.
const STOP_GRACE_MS = 30_000;

export type Role = 'baton' | 'bare' | 'fake-slack';

/** What a child needs to start; the fake Slack needs none of it. */
export interface ChildSettings {
  slackApiUrl?: string;
  databaseUrl?: string;
  /** Without databaseUrl: Baton's DATA_DIR, so it runs on the embedded PGlite there. */
  dataDir?: string;
  redisUrl?: string;
  redisPrefix?: string;
  /** `worker` runs no HTTP server: it takes jobs from the same Redis beside a `web` one. */
  batonRole?: 'all' | 'web' | 'worker';
  /** Sessions bench: many workspaces through OAuth installs instead of one bot token, and the fake Anthropic API. */
  isOAuth?: boolean;
  anthropicUrl?: string;
  /** Base64; the same key the bench used to seed encrypted rows. */
  encryptionKey?: string;
  sessionConcurrency?: number;
}

export type ParentMessage = { type: 'sample' } | { type: 'reset' } | { type: 'stop' };

export interface Sample {
  /** process.cpuUsage() user + system, in microseconds, since the process started. */
  cpuUs: number;
  /** Event-loop delay since the previous sample, in milliseconds. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export type ChildMessage =
  { type: 'ready'; url: string; origin?: string } | ({ type: 'sample' } & Sample) | { type: 'reset' };

export interface Child {
  readonly role: Role;
  /** Baton or bare Bolt: the base URL it listens on. The fake Slack: its Web API URL. */
  readonly url: string;
  readonly origin: string | undefined;
  readonly pid: number | undefined;
  sample(): Promise<Sample>;
  reset(): Promise<void>;
  /** Asks the child to shut down cleanly and waits for it to exit. */
  stop(): Promise<void>;
  /** Last resort when the bench itself is interrupted. */
  kill(): void;
}

let builtChildPath: string | undefined;

/**
 * BENCH_BATON_BUILD=1: Baton processes run JavaScript compiled once per bench run (into dist/bench-build), without
 * the TypeScript hook the bench itself runs under, as `npm start` runs `dist/`. The hook's transpiled sources and
 * source maps add 65–135 MiB of RSS that no admin's Baton has.
 */
function builtChild(): string {
  if (!builtChildPath) {
    const root = join(__dirname, '..');
    const outDir = join(root, 'dist', 'bench-build');
    const tsc = require.resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--noEmit', 'false', '--outDir', outDir], {
      stdio: 'inherit',
    });
    builtChildPath = join(outDir, 'bench', 'child.js');
  }
  return builtChildPath;
}

/**
 * Each target (and the fake Slack) runs in its own Node process, so neither target shares an event loop with
 * the load generator, the fake Slack or the other target.
 */
export function startChild(role: Role, settings: ChildSettings = {}): Promise<Child> {
  // BENCH_BATON_NODE_ARGS: Node flags for the Baton process only, e.g. `--cpu-prof` or `--heapsnapshot-signal=SIGUSR2`.
  const extra = role === 'baton' ? (process.env.BENCH_BATON_NODE_ARGS ?? '').split(' ').filter(Boolean) : [];
  const isBuilt = role === 'baton' && process.env.BENCH_BATON_BUILD === '1';
  const proc: ChildProcess = fork(
    isBuilt ? builtChild() : join(__dirname, 'child.ts'),
    [role, JSON.stringify(settings)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [...(isBuilt ? [] : process.execArgv), ...extra],
    },
  );
  const isRunning = () => proc.exitCode === null && proc.signalCode === null;
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  const next = <T extends ChildMessage['type']>(type: T) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        proc.off('exit', onExit);
        proc.off('message', onMessage);
        resolve(message as Extract<ChildMessage, { type: T }>);
      };
      const onExit = (code: number | null) => {
        proc.off('message', onMessage);
        reject(new Error(`bench ${role} process exited (code ${code}) while waiting for '${type}'`));
      };
      proc.on('message', onMessage);
      proc.once('exit', onExit);
    });
  const ask = <T extends ChildMessage['type'] & ParentMessage['type']>(type: T) => {
    const answer = next(type);
    proc.send({ type } satisfies ParentMessage);
    return answer;
  };

  return next('ready').then(({ url, origin }) => ({
    role,
    url,
    origin,
    pid: proc.pid,
    sample: () => ask('sample'),
    reset: async () => void (await ask('reset')),
    async stop() {
      if (isRunning() && proc.connected) proc.send({ type: 'stop' } satisfies ParentMessage);
      const timer = setTimeout(() => {
        console.warn(`bench: the ${role} process did not exit ${STOP_GRACE_MS} ms after stopping; killing it`);
        proc.kill('SIGKILL');
      }, STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
    kill: () => void (isRunning() && proc.kill('SIGKILL')),
  }));
}
