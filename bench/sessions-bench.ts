import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MEMORY_DATA_DIR, openDatabase, type DatabaseHandle } from '../models/database';
import { SessionRepository } from '../models/sessions';
import type { Session } from '../src/domain/sessions';
import { startFakeManagedAgents, type FakeManagedAgents } from '../tests/fakes/managed-agents';
import { startFakeSlack, type FakeSlack } from '../tests/fakes/slack-api';
import { nextTs, SLACK_DEFAULTS } from '../tests/fakes/slack/ids';
import { createScratchPostgres } from '../tests/support/databases';
import { appMention, createSlackSender, eventCallback } from '../tests/support/slack-requests';
import { startChild, type Child, type ChildSettings } from './processes';
import { SIGNING_SECRET } from './requests';
import {
  BENCH_ANTHROPIC_KEY,
  BOT_NAME,
  SCENARIO,
  seedWorkspaces,
  steadyScenario,
  workspacesOf,
  type Workspace,
} from './sessions-setup';
import { ANSWER_TEXT, measureSessions, type SessionRun, type SessionsResult } from './sessions-metrics';
import { WARM_UP_SECONDS, type SessionsSettings } from './settings';

export interface SessionsBenchDeps {
  redisUrl: string;
  prefix: string;
  settings: SessionsSettings;
  /** Channels each workspace's sessions are spread over in this run. */
  channels: number;
  /** 0: one Baton process (BATON_ROLE=all); else one web process and this many worker processes. */
  workers: number;
  log(line: string): void;
  /** Registers an undo step; the caller runs them newest first, also on failure. */
  defer(step: () => Promise<unknown>): void;
}

const TERMINAL: readonly Session['status'][] = ['done', 'failed', 'stopped'];
const QUIET_MS = 3_000;
const WARM_UP_SCENARIO = 'bench-warm-up';
/** The warm-up's mentions arrive this far apart; it gives up waiting for their answers after this long. */
const WARM_UP_GAP_MS = 100;
const WARM_UP_TIMEOUT_MS = 60_000;
/** How long Baton runs with nothing to do before its idle RSS is read. */
const IDLE_MS = 5_000;
/** PGlite: no new final answer for this long means the sessions left have failed or stalled. */
const ANSWERS_QUIET_MS = 45_000;

interface BenchDatabase {
  /** What Baton is started with: a DATABASE_URL, or a DATA_DIR for the embedded PGlite. */
  child: Pick<ChildSettings, 'databaseUrl' | 'dataDir'>;
  open(): Promise<DatabaseHandle>;
  /** PostgreSQL can be read while Baton runs; PGlite belongs to Baton's process until it stops. */
  isShared: boolean;
  drop(): Promise<void>;
}

async function benchDatabase(kind: SessionsSettings['database']): Promise<BenchDatabase> {
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
    return {
      child: { dataDir },
      open: () => openDatabase({ dataDir }),
      isShared: false,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const scratch = await createScratchPostgres();
  return {
    child: { databaseUrl: scratch.url },
    open: () => openDatabase({ databaseUrl: scratch.url, dataDir: MEMORY_DATA_DIR }),
    isShared: true,
    drop: () => scratch.drop(),
  };
}

/** Resident set size of a process from /proc, in bytes (0 when it has gone). */
function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A signed `app_mention` from one workspace; the mention itself is the root of its own thread. */
function mentionEnvelope(w: Workspace, channel: string, ts: string, text: string): Record<string, unknown> {
  const { event } = appMention({ text: `<@${SLACK_DEFAULTS.botUserId}> ${BOT_NAME} ${text}`, ts, channel });
  return eventCallback({ ...event, team: w.teamId }, { team_id: w.teamId });
}

/** The channel of a workspace's n-th session: its sessions take the workspace's channels in turn. */
const channelOf = (w: Workspace, n: number, channels: number): string => `C${w.teamId.slice(1)}X${n % channels}`;

async function startFakes(settings: SessionsSettings, workspaces: readonly Workspace[]) {
  const slack: FakeSlack = await startFakeSlack({
    rateLimits: { isPublished: true },
    tokens: Object.fromEntries(
      workspaces.map((w) => [w.token, { teamId: w.teamId, userId: SLACK_DEFAULTS.botUserId, botId: w.botId }]),
    ),
  });
  const anthropic: FakeManagedAgents = await startFakeManagedAgents({ apiKeys: { [BENCH_ANTHROPIC_KEY]: 'valid' } });
  anthropic.defineScenario(SCENARIO, steadyScenario(settings));
  anthropic.defineScenario(WARM_UP_SCENARIO, steadyScenario({ ...settings, seconds: WARM_UP_SECONDS }));
  anthropic.setScenario('default', SCENARIO);
  return { slack, anthropic };
}

/** Answers the fake Slack has taken so far. */
const answersIn = (slack: FakeSlack): number => slack.calls.filter((c) => c.ok && c.args.text === ANSWER_TEXT).length;

/** Waits until the fake Slack has had no call for QUIET_MS (or `deadline` passed): Baton has sent everything. */
async function untilQuiet(slack: FakeSlack, deadline: number): Promise<void> {
  for (let count = -1; count !== slack.calls.length && Date.now() < deadline; await sleep(QUIET_MS)) {
    count = slack.calls.length;
  }
}

/**
 * Sessions in a workspace of their own, mentioned as the measured ones are, until each has answered and Baton has sent
 * everything for them: the process has compiled its hot paths and opened its connections by then, and holds none of
 * their session slots when the measured mentions come. The fake Slack then forgets them (calls, budgets).
 */
async function warmUp(
  slack: FakeSlack,
  send: ReturnType<typeof createSlackSender>,
  w: Workspace,
  channels: number,
  count: number,
  log: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  const text = (i: number) => `warm-up task ${i} [scenario:${WARM_UP_SCENARIO}]`;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await sleep(i * WARM_UP_GAP_MS);
      const response = await send.event(mentionEnvelope(w, channelOf(w, i, channels), nextTs(), text(i)));
      if (response.status !== 200) throw new Error(`warm-up mention ${i} answered ${response.status}`);
    }),
  );
  const deadline = started + WARM_UP_TIMEOUT_MS;
  while (answersIn(slack) < count && Date.now() < deadline) await sleep(250);
  // Their final cards follow the answers, at the workspace's chat.update rate.
  await untilQuiet(slack, deadline);
  log(`  warm-up: ${answersIn(slack)} of ${count} sessions answered in ${Date.now() - started} ms`);
  slack.reset();
}

/**
 * 200 sessions across 10 workspaces against Baton in its own process, with the fake Slack and the fake Managed
 * Agents API in this one (so their recordings and the mention send times share one clock).
 */
export async function runSessionsBench(deps: SessionsBenchDeps): Promise<SessionsResult> {
  const { settings, channels, log, defer } = deps;
  const workspaces = workspacesOf(settings.workspaces);
  // The warm-up's workspace comes after the measured ones: its budgets and calls are its own.
  const warmUpSpace = workspacesOf(settings.workspaces + 1).at(-1) as Workspace;
  const { slack, anthropic } = await startFakes(settings, [...workspaces, warmUpSpace]);
  defer(() => slack.close());
  defer(() => anthropic.close());
  const database = await benchDatabase(settings.database);
  defer(() => database.drop());
  const encryptionKey = randomBytes(32).toString('base64');
  const botIds = await seedWorkspaces(() => database.open(), encryptionKey, anthropic.url, workspaces);
  if (settings.warmUpSessions) await seedWorkspaces(() => database.open(), encryptionKey, anthropic.url, [warmUpSpace]);
  const common = {
    slackApiUrl: slack.url,
    ...database.child,
    redisUrl: deps.redisUrl,
    redisPrefix: deps.prefix,
    isOAuth: true,
    anthropicUrl: anthropic.url,
    encryptionKey,
    sessionConcurrency: settings.sessionConcurrency,
  };
  const processes: Child[] = [];
  for (let i = 0; i < deps.workers; i++) {
    const worker = await startChild('baton', { ...common, batonRole: 'worker' });
    defer(() => worker.stop());
    processes.push(worker);
  }
  const baton = await startChild('baton', { ...common, batonRole: deps.workers ? 'web' : 'all' });
  defer(() => baton.stop());
  processes.push(baton);
  log(
    `  Baton (pids ${processes.map((p) => p.pid).join(', ')}) on ${baton.url}; ${workspaces.length} workspaces ` +
      `seeded (${settings.database})`,
  );
  await sleep(IDLE_MS);
  const rssIdle = Math.max(...processes.map((p) => rssBytes(p.pid ?? 0)));
  const send = createSlackSender({ baseUrl: baton.url, signingSecret: SIGNING_SECRET });
  if (settings.warmUpSessions) await warmUp(slack, send, warmUpSpace, channels, settings.warmUpSessions, log);
  const cpuOf = async () => (await Promise.all(processes.map((p) => p.sample()))).reduce((sum, s) => sum + s.cpuUs, 0);
  const cpuIdle = await cpuOf();
  let handle = database.isShared ? await database.open() : undefined;
  defer(async () => handle?.close());
  let lastAnswers = { count: 0, at: Date.now() };
  /**
   * Sessions not finished yet: read from the database, or (PGlite, not readable while Baton runs) from answers; a
   * session that fails never answers, so answers that stop coming for a while also end the wait.
   */
  const unfinishedCount = async (): Promise<number> => {
    if (!handle) {
      const count = answersIn(slack);
      if (count !== lastAnswers.count) lastAnswers = { count, at: Date.now() };
      return count > 0 && Date.now() - lastAnswers.at > ANSWERS_QUIET_MS ? 0 : settings.count - count;
    }
    const repo = new SessionRepository(handle.db);
    const all = (await Promise.all(botIds.map((id) => repo.listForBot(id, settings.count)))).flat();
    return (await repo.listUnfinished()).length + Math.max(0, settings.count - all.length);
  };

  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, ...processes.map((p) => rssBytes(p.pid ?? 0)))), 250);
  defer(async () => clearInterval(sampler));

  const sentAt = new Map<string, number>();
  const started = Date.now();
  const sends = Array.from({ length: settings.count }, async (_, i) => {
    const w = workspaces[i % workspaces.length] as Workspace;
    const channel = channelOf(w, Math.floor(i / workspaces.length), channels);
    const ts = nextTs();
    slack.seedMessage({ channel, ts, text: `<@${SLACK_DEFAULTS.botUserId}> ${BOT_NAME} bench task ${i}` });
    await sleep(Math.max(0, started + (i * settings.spreadMs) / settings.count - Date.now()));
    sentAt.set(ts, Date.now());
    const response = await send.event(mentionEnvelope(w, channel, ts, `bench task ${i}`));
    if (response.status !== 200) throw new Error(`mention ${i} answered ${response.status}`);
  });
  await Promise.all(sends);
  log(`  ${settings.count} mentions sent in ${Date.now() - started} ms`);

  const deadline = Date.now() + settings.spreadMs + settings.seconds * 1000 * 3 + 120_000;
  let lastLog = Date.now();
  for (;;) {
    const unfinished = await unfinishedCount();
    const isDone = unfinished === 0;
    if (isDone || Date.now() > deadline) {
      if (!isDone) log(`  gave up waiting: ${unfinished} sessions unfinished`);
      break;
    }
    if (Date.now() - lastLog >= 10_000) {
      lastLog = Date.now();
      const rate = (slack.calls.length / ((Date.now() - started) / 1000)).toFixed(0);
      log(`  ${Math.round((Date.now() - started) / 1000)} s: ${unfinished} unfinished, ${rate} Slack calls/s`);
    }
    await sleep(1_000);
  }
  // Final cards and answers can still be on their way after the last session row says done.
  await untilQuiet(slack, deadline);
  clearInterval(sampler);
  const cpuUs = (await cpuOf()) - cpuIdle;
  if (!handle) {
    await baton.stop();
    handle = await database.open();
  }
  const repo = new SessionRepository(handle.db);
  const sessions = (await Promise.all(botIds.map((id) => repo.listForBot(id, settings.count)))).flat();
  const runs: SessionRun[] = await Promise.all(
    sessions.map(async (session) => ({
      session,
      stored: await repo.events(session.id),
      provider: session.providerSessionId ? anthropic.eventsOf(session.providerSessionId) : [],
    })),
  );
  return measureSessions({
    settings,
    channels,
    workers: deps.workers,
    runs,
    calls: slack.calls,
    sentAt,
    rssPeakBytes: rssPeak,
    rssIdleBytes: rssIdle,
    cpuUs,
    wallMs: Date.now() - started,
    isTerminal: (s) => TERMINAL.includes(s.status),
  });
}
