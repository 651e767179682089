import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { Agent } from 'undici';
import { createScratchPostgres, adminDatabaseUrl } from '../tests/support/databases';
import { deleteRedisPrefix, testRedisUrl } from '../tests/support/redis';
import { runAckBench, type AckResults, type AckTarget } from './ack-bench';
import { describeMachine } from './machine';
import { runPickupBench } from './pickup';
import { startChild, type Child } from './processes';
import { renderStdout, type Report } from './report';
import { renderResults } from './results-md';
import { runSessionsBench } from './sessions-bench';
import type { SessionsResult } from './sessions-metrics';
import { renderSessionsStdout } from './sessions-report';
import { readSettings, type AckRole, type BenchSettings } from './settings';

const RESULTS_PATH = join(__dirname, 'RESULTS.md');

/** Undo steps, newest first; run on success, failure and Ctrl-C alike. */
const cleanups: (() => Promise<unknown>)[] = [];
const children: Child[] = [];

async function cleanUp(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) {
    await step().catch((error: unknown) => console.error('bench: clean-up step failed:', error));
  }
}

async function startTargets(prefix: string, batonRole: AckRole, log: (line: string) => void) {
  const database = await createScratchPostgres();
  cleanups.push(() => database.drop());
  const fakeSlack = await startChild('fake-slack');
  children.push(fakeSlack);
  cleanups.push(() => fakeSlack.stop());
  const settings = {
    slackApiUrl: fakeSlack.url,
    databaseUrl: database.url,
    redisUrl: testRedisUrl,
    redisPrefix: prefix,
    batonRole,
  };
  if (batonRole === 'web') {
    // The web process only acks and enqueues; a worker of its own takes the jobs, as in a deployment.
    const worker = await startChild('baton', { ...settings, batonRole: 'worker' });
    children.push(worker);
    cleanups.push(() => worker.stop());
    log(`baton worker (pid ${worker.pid}) beside the web process`);
  }
  const targets: AckTarget[] = [];
  for (const name of ['baton', 'bare'] as const) {
    const child = await startChild(name, settings);
    children.push(child);
    cleanups.push(() => child.stop());
    const dispatcher = new Agent({ keepAliveTimeout: 60_000 });
    cleanups.push(() => dispatcher.close());
    targets.push({ name, child, dispatcher });
    log(`${name} listening on ${child.url}`);
  }
  return { fakeSlack, targets };
}

async function runAckPart(settings: BenchSettings, prefix: string, log: (line: string) => void) {
  const acks: Array<{ role: AckRole; ack: AckResults }> = [];
  for (const role of settings.batonRoles) {
    const rolePrefix = `${prefix}-${role}`;
    log(`Ack latency, BATON_ROLE=${role}: ${settings.rps} requests/s, ${settings.seconds} s per target and kind`);
    cleanups.push(() => deleteRedisPrefix(rolePrefix));
    const { fakeSlack, targets } = await startTargets(rolePrefix, role, log);
    acks.push({ role, ack: await runAckBench(targets, { ...settings, fakeSlack }, log) });
    await cleanUp();
  }

  log(`Enqueue → pick-up: ${settings.jobs} jobs at ${settings.jobRps}/s`);
  const pickupPrefix = `${prefix}-pickup`;
  cleanups.push(() => deleteRedisPrefix(pickupPrefix));
  const pickup = await runPickupBench({
    redisUrl: testRedisUrl,
    prefix: pickupPrefix,
    jobs: settings.jobs,
    rps: settings.jobRps,
    concurrency: settings.workerConcurrency,
    timeoutMs: 30_000,
  });
  await cleanUp();
  return { acks, pickup };
}

async function runSessionsPart(settings: BenchSettings, prefix: string, log: (line: string) => void) {
  const s = settings.sessions;
  const results: SessionsResult[] = [];
  // The single-process layouts, then the scale-out one: one web and `workers` worker processes.
  const layouts = [
    ...s.channelLayouts.map((channels) => ({ channels, workers: 0 })),
    // PGlite lives inside one process, so it has no scale-out run.
    ...(s.workers > 0 && s.database === 'postgres' ? [{ channels: s.channelLayouts[0] ?? 5, workers: s.workers }] : []),
  ];
  for (const { channels, workers } of layouts) {
    const sessionsPrefix = `${prefix}-sessions-${channels}-${workers}`;
    log(
      `Sessions: ${s.count} sessions over ${s.workspaces} workspaces and ${channels} channel(s) each, ` +
        `${s.eventsPerSecond} events/s for ${s.seconds} s` +
        (workers ? `; one web and ${workers} worker processes` : ''),
    );
    cleanups.push(() => deleteRedisPrefix(sessionsPrefix));
    results.push(
      await runSessionsBench({
        redisUrl: testRedisUrl,
        prefix: sessionsPrefix,
        settings: s,
        channels,
        workers,
        log,
        defer: (step) => cleanups.push(step),
      }),
    );
    await cleanUp();
  }
  return results;
}

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const log = (line: string) => console.log(line);
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  cleanups.push(() => deleteRedisPrefix(prefix));
  const machine = await describeMachine(testRedisUrl, adminDatabaseUrl);
  const date = new Date();

  const foundation = settings.only === 'sessions' ? undefined : await runAckPart(settings, prefix, log);
  const reports: Report[] = (foundation?.acks ?? []).map(({ role, ack }) => {
    return { date, machine, settings, role, ack, pickup: foundation!.pickup };
  });
  for (const report of reports) log(renderStdout(report));
  const sessions = settings.only === 'ack' ? undefined : await runSessionsPart(settings, prefix, log);
  for (const result of sessions ?? []) log(renderSessionsStdout(result));

  const previous = await readFile(RESULTS_PATH, 'utf8').catch(() => '');
  const markdown = renderResults({ date, machine, reports: foundation ? reports : undefined, sessions }, previous);
  const options = (await resolveConfig(RESULTS_PATH)) ?? {};
  await writeFile(RESULTS_PATH, await format(markdown, { ...options, parser: 'markdown' }));
  log(`Wrote ${RESULTS_PATH}`);
}

process.once('SIGINT', () => {
  console.error('bench: interrupted, cleaning up');
  for (const child of children) child.kill();
  void cleanUp().then(() => process.exit(130));
});

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
