import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAME, SESSION_QUEUE_NAME } from '../../jobs/definitions';
import { SessionRepository } from '../../models/sessions';
import type { Session } from '../../src/domain/sessions';
import { ACTION } from '../../src/views/ids';
import { readyBot, sessionsQuery } from '../integration/sessions-helpers';
import type { Harness } from '../support/harness';
import { appMention } from '../support/slack-requests';

// What a person sees in the thread once a session under fault has ended, and the checks every case shares: the
// answer exactly once, or a readable note with a Retry button on the card; never a card left working.

const text = (value: unknown) => JSON.stringify(value ?? '');
const CHANNEL = 'C0001';

export interface Tally {
  faults: number;
  sessions: number;
  lost: number;
}

export const newTally = (): Tally => ({ faults: 0, sessions: 0, lost: 0 });

export const tallyLine = (name: string, t: Tally) =>
  `faults/${name}: ${t.faults} faults injected, ${t.sessions} sessions, lost: ${t.lost}`;

let mentions = 0;

/** A ready bot mentioned in a fresh thread; resolves with the session once Baton has made it. */
export async function mentionBot(h: Harness, name: string, ask = 'please look') {
  const { bot, agent } = await readyBot(h, name);
  const root = h.slack.seedMessage({ text: `${name}: ${ask}`, user: 'U0002' });
  const ts = `17000${String(60_000 + ++mentions)}.000300`;
  const response = await h.send.event(appMention({ text: `<@UBATON> ${name} ${ask}`, ts, thread_ts: root.ts }));
  expect(response.status).toBe(200);
  return { bot, agent, threadTs: root.ts };
}

export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The bot's session once it has stored at least `count` events (it is mid-turn). */
export async function midSession(h: Harness, botId: string, count = 1): Promise<Session> {
  const sessions = new SessionRepository(h.db.db);
  return until(async () => {
    const [session] = await sessions.listForBot(botId, 1);
    return session && (await sessions.events(session.id)).length >= count ? session : undefined;
  });
}

/** Waits until no job is waiting, delayed or running, so a late retry or a duplicate would already show. */
export async function settled(h: Harness, timeoutMs = 30_000): Promise<void> {
  const connection = new Redis(h.config.redisUrl, { maxRetriesPerRequest: null });
  const queues = [QUEUE_NAME, SESSION_QUEUE_NAME].map(
    (name) => new Queue(name, { connection, prefix: h.config.redisPrefix }),
  );
  try {
    await until(async () => {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
      // A retry waits as a delayed job; the hourly housekeeping job is always there.
      const delayed = (await Promise.all(queues.map((q) => q.getDelayed()))).flat();
      const isIdle = counts.every((c) => Object.values(c).every((n) => n === 0));
      return isIdle && delayed.every((job) => job.name === 'purge-processed-events') ? true : undefined;
    }, timeoutMs);
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    connection.disconnect();
  }
}

export interface Seen {
  session: Session;
  answers: number;
  notes: string[];
  cardText: string;
  hasRetry: boolean;
}

/** Whether PostgreSQL ended the connection a read went out on (code 57P01, or the socket closed under it). */
function isDroppedConnection(error: unknown): boolean {
  const dropped = (e: unknown) => {
    const { code, message } = (e ?? {}) as { code?: string; message?: string };
    return code === '57P01' || /Connection terminated/.test(message ?? '');
  };
  return dropped(error) || dropped((error as { cause?: unknown } | undefined)?.cause);
}

/**
 * The test's own read, asked again when the database ended its connection: a fault that drops every connection to the
 * scratch database drops the test's too, and its pool can lend one out before it has seen the drop.
 */
async function reread<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= 5 || !isDroppedConnection(error)) throw error;
    }
  }
}

/** What the thread shows once the bot's session has ended and nothing is left to run. */
export async function seen(h: Harness, botId: string, threadTs: string, answer: string): Promise<Seen> {
  const session = await reread(() => sessionsQuery(h).waitFor(botId, ['done', 'failed', 'stopped'], 60_000));
  await settled(h);
  // The final card goes out through the card's own lane (at most one update a second): give it that long.
  const cardOf = () => h.slack.messages(CHANNEL, threadTs).find((m) => m.ts === session.cardTs);
  await until(() => (text(cardOf()?.blocks).includes(ACTION.stopSession) ? undefined : true), 10_000).catch(() => {});
  const thread = h.slack.messages(CHANNEL, threadTs);
  const card = cardOf();
  return {
    session: (await reread(() => new SessionRepository(h.db.db).get(session.id))) ?? session,
    answers: thread.filter((m) => m.text === answer).length,
    notes: thread.filter((m) => m.text?.includes('could not finish')).map((m) => m.text ?? ''),
    cardText: text(card?.blocks),
    hasRetry: text(card?.blocks).includes(ACTION.retrySession) && text(card?.blocks).includes('"Retry"'),
  };
}

/** A readable note: one sentence or two a person can act on, no stack, no object dump, no secret-looking blob. */
export function expectReadable(note: string): void {
  expect(note.length).toBeLessThan(600);
  expect(note).not.toMatch(/\bat .+\(.+:\d+:\d+\)|\[object |undefined|null|Error:|sk-ant-|xoxb-/);
  expect(note).toMatch(/Retry/);
}

/**
 * The two endings a person may see: the session resumed and its answer is in the thread exactly once (card Done),
 * or it failed with one readable note and a Retry button on the card. Anything else counts as lost.
 */
export function expectVisibleEnd(result: Seen, tally: Tally, allowed: 'done' | 'failed' | 'either' = 'either'): void {
  tally.sessions += 1;
  const { session } = result;
  const isDone = session.status === 'done' && result.answers === 1 && result.notes.length === 0;
  const isFailed = session.status === 'failed' && result.answers === 0 && result.notes.length === 1 && result.hasRetry;
  if (!isDone && !isFailed) tally.lost += 1;
  expect({ status: session.status, answers: result.answers, notes: result.notes.length }).toEqual(
    session.status === 'done' ? { status: 'done', answers: 1, notes: 0 } : { status: 'failed', answers: 0, notes: 1 },
  );
  if (allowed !== 'either') expect(session.status).toBe(allowed);
  if (isDone) expect(result.cardText).toContain('Done');
  else {
    expect(result.hasRetry).toBe(true);
    expectReadable(result.notes[0]!);
  }
  expect(result.cardText).not.toContain(ACTION.stopSession);
}

/** A redis-server of this test file's own on a random port, which a test may restart (keeping its data or not). */
export class OwnRedis {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'baton-redis-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Stops the server (saving its data to disk first when `keepData`), then starts it again on the same port. */
  async restart({ keepData, downMs = 300 }: { keepData: boolean; downMs?: number }): Promise<void> {
    await this.shutdown(keepData);
    if (!keepData) rmSync(join(this.dir, 'dump.rdb'), { force: true });
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.shutdown(false);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async shutdown(save: boolean): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const admin = new Redis(this.url, { maxRetriesPerRequest: 0, lazyConnect: true });
    try {
      await admin.connect();
      await admin.call('SHUTDOWN', save ? 'SAVE' : 'NOSAVE').catch(() => undefined);
    } finally {
      admin.disconnect();
    }
    await exited;
    this.child = undefined;
  }

  private async launch(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
    });
    child.stdout!.resume();
  }
}

/** A free port in 20000-30000 (the range this machine keeps for test servers of their own). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const isFree = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (isFree) return port;
  }
}
