import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { Redis } from 'ioredis';
import { Client } from 'pg';

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: string;
  node: string;
  os: string;
  redis: string;
  postgres: string;
  /** The Baton code measured: a git commit, marked when the working tree had uncommitted changes. */
  revision: string;
  /** CPU busy (all cores) in the two seconds before the bench started anything. */
  backgroundCpuPercent: number;
}

function revision(): string {
  if (process.env.BENCH_REVISION) return process.env.BENCH_REVISION;
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: 'pipe' }).trim();
    const isDirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${isDirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout; set BENCH_REVISION)';
  }
}

async function osName(): Promise<string> {
  const release = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1];
  return `${pretty ?? os.type()} (${os.type()} ${os.release()}, ${os.arch()})`;
}

async function redisVersion(url: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return /^redis_version:(.*)$/m.exec(await redis.info('server'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  } finally {
    redis.disconnect();
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  } catch {
    return 'unknown';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Idle and total CPU time of the whole machine so far (all cores), in ms; two readings give a utilisation. */
export interface CpuTimes {
  idleMs: number;
  totalMs: number;
}

export function machineCpuTimes(): CpuTimes {
  let idleMs = 0;
  let totalMs = 0;
  for (const { times } of os.cpus()) {
    idleMs += times.idle;
    totalMs += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idleMs, totalMs };
}

/** Share of all cores busy over the next `ms` milliseconds, e.g. other work on the machine before a run. */
export async function busyPercent(ms: number): Promise<number> {
  const before = machineCpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineCpuTimes();
  const totalMs = after.totalMs - before.totalMs;
  return totalMs > 0 ? Math.round((100 * (totalMs - (after.idleMs - before.idleMs))) / totalMs) : 0;
}

/** Waits up to `maxWaitMs` for a quarter second with the machine under `percent` busy; false if none came. */
export async function waitForQuiet(percent: number, maxWaitMs: number): Promise<boolean> {
  const deadline = Date.now() + maxWaitMs;
  do {
    if ((await busyPercent(250)) < percent) return true;
  } while (Date.now() < deadline);
  return false;
}

/** What the numbers were measured on: they mean little without it. */
export async function describeMachine(redisUrl: string, postgresUrl: string): Promise<Machine> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: await osName(),
    redis: await redisVersion(redisUrl),
    postgres: await postgresVersion(postgresUrl),
    revision: revision(),
    backgroundCpuPercent: await busyPercent(2_000),
  };
}
