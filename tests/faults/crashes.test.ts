import { randomBytes, randomInt } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import fc from 'fast-check';
import { BotRepository } from '../../models/bots';
import { ClaudeConnectionRepository } from '../../models/claude-connections';
import { MEMORY_DATA_DIR, openDatabase, type DatabaseHandle } from '../../models/database';
import { ProviderKeyRepository } from '../../models/provider-keys';
import { SessionRepository } from '../../models/sessions';
import { Secrets } from '../../src/crypto/secrets';
import type { Session } from '../../src/domain/sessions';
import { ACTION } from '../../src/views/ids';
import { startFakeManagedAgents, type FakeManagedAgents } from '../fakes/managed-agents';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api';
import { runBaton, type ChildBaton } from '../support/child-baton';
import { createScratchPostgres, type ScratchPostgres } from '../support/databases';
import { ANTHROPIC_KEY } from '../support/harness';
import { deleteRedisPrefix, testRedisUrl, uniqueRedisPrefix } from '../support/redis';
import { appMention, createSlackSender, type SlackSender } from '../support/slack-requests';

// A worker SIGKILLed anywhere in a session is replaced by another: every session still ends with one answer in its
// thread, nothing is posted twice and nothing Baton made at the provider is left behind. Each session is parked at a
// point of its timeline drawn from a seed (printed first; replay with FAULTS_SEED=<seed>), a batch at a time, then
// the worker is killed and a new one started. The web process stays up throughout.

const seed = Number(process.env.FAULTS_SEED ?? randomInt(2 ** 31));
const SESSIONS = 20;
const BATCH = 5;
const CHANNEL = 'C0001';
const tally = { sessions: 0, kills: 0, killPoints: 0, answers: 0, duplicates: 0, orphans: 0, lost: 0 };

/** Where in its timeline a session is when the worker dies. */
const POINTS = [
  'before-card', // the card's chat.postMessage never reached Slack
  'card-unrecorded', // Slack posted the card, the worker died before hearing its ts
  'before-create', // the start is recorded, the task is being read from the thread
  'vault-made', // the session's vault exists, the provider session is not made yet
  'created-unrecorded', // the provider session exists, its id is not recorded yet
  'mid-stream', // events are being stored while the turn goes on
  'answer-unposted', // the answer is stored, its chat.postMessage never reached Slack
  'answer-unrecorded', // Slack posted the answer, the worker died before recording its ts
  'ended', // the session is recorded as done, its card's final state is on its way
  'wrap-up', // the final card is drawn, the ✅ reaction is on its way
  'cleanup', // everything shown, the session's vault is being deleted
] as const;
type Point = (typeof POINTS)[number];
/** Points a session reaches again after a restart (the others are found done by the next run), so can die twice. */
const AGAIN: readonly Point[] = [
  'before-card',
  'before-create',
  'vault-made',
  'answer-unposted',
  'ended',
  'wrap-up',
  'cleanup',
];

interface Planned {
  index: number;
  point: Point;
  rootTs: string;
  mentionTs: string;
  answer: string;
  /** The worker that takes over dies at the same point too. */
  isKilledTwice: boolean;
  /** Resolves once the session is parked at its point. */
  parked?: Promise<unknown>;
  session?: Session;
}

/** Every point once, the rest drawn at random, in a random order; about one in four that can dies twice. */
function plan(): Planned[] {
  const [extra, order, twice] = fc.sample(
    fc.tuple(
      fc.array(fc.constantFrom(...POINTS), {
        minLength: SESSIONS - POINTS.length,
        maxLength: SESSIONS - POINTS.length,
      }),
      fc.array(fc.integer(), { minLength: SESSIONS, maxLength: SESSIONS }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: SESSIONS, maxLength: SESSIONS }),
    ),
    { seed, numRuns: 1 },
  )[0]!;
  const points = [...POINTS, ...extra]
    .map((point, i) => ({ point, key: order[i]! }))
    .sort((a, b) => a.key - b.key)
    .map((p) => p.point);
  const isTwice = (point: Point, index: number) => AGAIN.includes(point) && twice[index] === 0;
  // At least one session dies twice in every run.
  const first = points.findIndex((point) => AGAIN.includes(point));
  return points.map((point, index) => ({
    index,
    point,
    isKilledTwice: isTwice(point, index) || (index === first && !points.some(isTwice)),
    rootTs: `17000${String(70_000 + index * 10)}.000100`,
    mentionTs: `17000${String(70_000 + index * 10)}.000200`,
    answer: `Answer-${index}-${seed}`,
  }));
}

const encryptionKey = randomBytes(32);
const prefix = uniqueRedisPrefix();
let slack: FakeSlack;
let anthropic: FakeManagedAgents;
let scratch: ScratchPostgres;
let db: DatabaseHandle;
let sessions: SessionRepository;
let web: ChildBaton;
let worker: ChildBaton;
let send: SlackSender;
let botName: string;
const started = Date.now();
const running: ChildBaton[] = [];

const env = (role: 'web' | 'worker') => ({
  BATON_ROLE: role,
  PORT: '0',
  LOG_LEVEL: 'info',
  DATABASE_URL: scratch.url,
  REDIS_URL: testRedisUrl,
  BATON_REDIS_PREFIX: prefix,
  BATON_ENCRYPTION_KEY: encryptionKey.toString('base64'),
  SLACK_SIGNING_SECRET: 'crash-secret',
  SLACK_BOT_TOKEN: 'xoxb-crash',
  SLACK_API_URL: slack.url,
  SLACK_API_RETRIES: '0',
  SLACK_CARD_UPDATES_PER_MINUTE: '6000',
  ANTHROPIC_BASE_URL: anthropic.url,
  ANTHROPIC_API_RETRIES: '0',
  JOB_LOCK_MS: '3000',
  JOB_BACKOFF_MS: '200',
});

async function startWorker(): Promise<void> {
  worker = runBaton(env('worker'));
  running.push(worker);
  await worker.waitForLog('worker.started', 60_000);
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function sessionIn(rootTs: string): Promise<Session | undefined> {
  const bots = await new BotRepository(db.db).list('T0001');
  const all = await sessions.listForBot(bots[0]!.id, 100);
  return all.find((s) => s.threadTs === rootTs);
}

const hasCard = (blocks: unknown) => JSON.stringify(blocks ?? '').includes(ACTION.stopSession);
const madeFor = (s: Planned) => (body: unknown) => JSON.stringify(body ?? '').includes(s.answer);
/** A request the provider never acts on and never answers (the worker dies waiting). */
const NEVER_MS = 10 * 60_000;

/**
 * Arms the fakes so the session stops at its point; `parked` resolves when it gets there. An `ended` session is parked
 * once its end is recorded and `finalHeld` (see `armAll`) holds a final card update, so its own is still to go.
 */
function arm(s: Planned, finalHeld: Promise<unknown>): void {
  const since = anthropic.requests.length;
  const inThread = (a: Record<string, unknown>) => a.channel === CHANNEL && a.thread_ts === s.rootTs;
  switch (s.point) {
    case 'before-card':
    case 'card-unrecorded':
      s.parked = slack.holdNext('chat.postMessage', (a) => inThread(a) && hasCard(a.blocks), {
        isDone: s.point === 'card-unrecorded',
      });
      return;
    case 'before-create':
      s.parked = slack.holdNext('conversations.replies', (a) => a.ts === s.rootTs);
      return;
    case 'vault-made':
    case 'created-unrecorded': {
      const isDone = s.point === 'created-unrecorded';
      const isFor = ({ body }: { body: unknown }) => madeFor(s)(body);
      anthropic.failNext('/v1/sessions', {
        method: 'POST',
        isFor,
        ...(isDone ? { answerAfterMs: NEVER_MS } : { delayMs: NEVER_MS }),
      });
      s.parked = until(() => {
        const made = anthropic.requests
          .slice(since)
          .find((r) => r.method === 'POST' && r.path === '/v1/sessions' && madeFor(s)(r.body));
        return made && (!isDone || made.status !== undefined) ? made : undefined;
      }, 60_000);
      return;
    }
    case 'mid-stream':
      s.parked = until(async () => {
        s.session ??= await sessionIn(s.rootTs);
        if (!s.session) return undefined;
        return (await sessions.events(s.session.id)).length > 0 ? true : undefined;
      }, 60_000);
      return;
    case 'answer-unposted':
    case 'answer-unrecorded':
      s.parked = slack.holdNext('chat.postMessage', (a) => inThread(a) && a.text === s.answer, {
        isDone: s.point === 'answer-unrecorded',
      });
      return;
    case 'ended':
      s.parked = Promise.all([
        finalHeld,
        until(async () => ((await sessionIn(s.rootTs))?.status === 'done' ? true : undefined), 60_000),
      ]);
      return;
    case 'wrap-up':
      s.parked = slack.holdNext('reactions.add', (a) => a.timestamp === s.mentionTs && a.name === 'white_check_mark');
      return;
    case 'cleanup': {
      const vaultOf = (path: string) => anthropic.vaults.get(path.slice('/v1/vaults/'.length));
      const isFor = ({ path }: { path: string }) =>
        s.session !== undefined && vaultOf(path)?.metadata['baton_session_id'] === s.session.id;
      anthropic.failNext(/^\/v1\/vaults\/[^/]+$/, { method: 'DELETE', isFor, delayMs: NEVER_MS });
      s.parked = until(async () => {
        s.session ??= await sessionIn(s.rootTs);
        return anthropic.requests.slice(since).find((r) => r.method === 'DELETE' && isFor(r));
      }, 60_000);
    }
  }
}

/**
 * Arms each session of `batch`. Its `ended` sessions share one hold: the first final card update among them is held,
 * whichever session ends first, and the workspace's later card updates queue behind that one, so each of them stops
 * with its end recorded and its final state still to go. (Holding a chosen session's update instead raced: another
 * session ending first had its final state drawn before the kill, and its second kill point never came.)
 */
function armAll(batch: Planned[]): void {
  const ended = batch.filter((s) => s.point === 'ended');
  const cardTs = (s: Planned) => slack.messages(CHANNEL, s.rootTs).find((m) => hasCard(m.blocks))?.ts;
  const isFinal = (a: Record<string, unknown>) =>
    ended.some((s) => a.ts === cardTs(s)) && JSON.stringify(a.blocks ?? '').includes('Done');
  const finalHeld = ended.length > 0 ? slack.holdNext('chat.update', isFinal) : Promise.resolve();
  for (const s of batch) arm(s, finalHeld);
}

/** Mentions the bot in a new thread whose message tells the fake provider how the turn goes. */
async function mention(s: Planned): Promise<void> {
  const scenario = s.point === 'mid-stream' ? 'slow delayMs=700' : 'plain';
  slack.seedMessage({
    channel: CHANNEL,
    text: `Crash ${s.index} [scenario:${scenario} text=${s.answer}]`,
    ts: s.rootTs,
  });
  const response = await send.event(
    appMention({ text: `<@UBATON> ${botName} look`, ts: s.mentionTs, thread_ts: s.rootTs, channel: CHANNEL }),
  );
  expect(response.status).toBe(200);
}

/** What one session left once it ended (or gave up waiting): problems are named, not thrown, for the tally. */
async function outcome(s: Planned): Promise<string[]> {
  const problems: string[] = [];
  const where = `session ${s.index} (${s.point})`;
  let ended: Session | undefined;
  try {
    ended = await until(async () => {
      const found = await sessionIn(s.rootTs);
      if (!found || !['done', 'failed', 'stopped'].includes(found.status)) return undefined;
      const isWrappedUp = slack
        .callsTo('reactions.add')
        .some((c) => c.args.timestamp === s.mentionTs && c.args.name === 'white_check_mark' && c.ok);
      const live = [...anthropic.vaults.values()].some((v) => v.metadata['baton_session_id'] === found.id);
      return isWrappedUp && !live ? found : undefined;
    }, 45_000);
  } catch {
    ended = await sessionIn(s.rootTs);
  }
  if (ended?.status !== 'done') problems.push(`${where}: ${ended ? ended.status : 'no session'}, not done`);
  const posts = slack.callsTo('chat.postMessage').filter((c) => c.ok && c.args.thread_ts === s.rootTs);
  const answers = slack.messages(CHANNEL, s.rootTs).filter((m) => m.text === s.answer).length;
  const cards = posts.filter((c) => hasCard(c.args.blocks)).length;
  const texts = posts.map((c) => String(c.args.text));
  const duplicates = texts.length - new Set(texts).size;
  tally.answers += answers;
  tally.duplicates += duplicates;
  if (answers !== 1) problems.push(`${where}: ${answers} answers in the thread`);
  if (cards !== 1) problems.push(`${where}: ${cards} cards`);
  if (duplicates > 0) problems.push(`${where}: ${duplicates} duplicate posts (${texts.join(' | ')})`);
  if (ended?.status !== 'done' || answers === 0) tally.lost += 1;

  const made = [...anthropic.state.created.values()].filter((r) => r.metadata['baton_session_id'] === ended?.id);
  const orphans = made.filter((r) =>
    r.type === 'vault'
      ? anthropic.vaults.has(r.id)
      : anthropic.sessions.has(r.id) && !r.archived_at && ['running', 'rescheduling'].includes(r.status),
  );
  tally.orphans += orphans.length;
  if (orphans.length > 0) problems.push(`${where}: left behind ${orphans.map((o) => `${o.type} ${o.id}`).join(', ')}`);
  if (!made.some((r) => r.type === 'session')) problems.push(`${where}: no provider session was made`);
  return problems;
}

beforeAll(async () => {
  console.log(`faults/crashes: seed ${seed} (replay with FAULTS_SEED=${seed})`);
  slack = await startFakeSlack();
  anthropic = await startFakeManagedAgents({ apiKeys: { [ANTHROPIC_KEY]: 'valid' } });
  scratch = await createScratchPostgres();
  db = await openDatabase({ databaseUrl: scratch.url, dataDir: MEMORY_DATA_DIR });
  sessions = new SessionRepository(db.db);
  botName = await readyBot();
  web = runBaton(env('web'));
  running.push(web);
  const ready = await web.waitForLog('web.started', 60_000);
  send = createSlackSender({ baseUrl: `http://127.0.0.1:${String(ready.port)}`, signingSecret: 'crash-secret' });
  await startWorker();
}, 120_000);

afterAll(async () => {
  console.log(
    `faults/crashes: ${tally.sessions} sessions, ${tally.kills} worker kills at ${tally.killPoints} kill points, ` +
      `answers: ${tally.answers}, duplicates: ${tally.duplicates}, orphans: ${tally.orphans}, lost: ${tally.lost} ` +
      `(seed ${seed}, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  for (const baton of running) baton.child.kill('SIGKILL');
  await Promise.all(running.map((baton) => baton.exited));
  await db.close();
  await scratch.drop();
  await slack.close();
  await anthropic.close();
  await deleteRedisPrefix(prefix);
});

/** A Claude bot on an existing agent, environment and team vault. */
async function readyBot(): Promise<string> {
  const bot = await new BotRepository(db.db).create({
    teamId: 'T0001',
    name: 'crashy',
    displayName: 'Crashy',
    icon: null,
    type: 'claude',
    description: '',
    createdBy: 'U0001',
  });
  const key = await new ProviderKeyRepository(db.db, new Secrets(encryptionKey)).create({
    teamId: 'T0001',
    provider: 'anthropic',
    label: 'crash key',
    secret: ANTHROPIC_KEY,
    createdBy: 'U0001',
  });
  const client = new Anthropic({ apiKey: ANTHROPIC_KEY, baseURL: anthropic.url, maxRetries: 0 });
  const agent = await client.beta.agents.create({ name: 'Crashy', model: 'claude-sonnet-4-6' });
  const vault = await client.beta.vaults.create({ display_name: 'Team vault' });
  const environment = await client.beta.environments.create({ name: 'crash-env', config: { type: 'cloud' } });
  await new ClaudeConnectionRepository(db.db).save(bot.id, {
    keyId: key.id,
    mode: 'existing',
    agentId: agent.id,
    environmentId: environment.id,
    vaultIds: [vault.id],
  });
  return bot.name;
}

async function killWhenParked(parked: Planned[]): Promise<void> {
  await Promise.all(parked.map((s) => s.parked));
  worker.child.kill('SIGKILL');
  await worker.exited;
  tally.kills += 1;
  tally.killPoints += parked.length;
}

const planned = plan();
const batches = Array.from({ length: SESSIONS / BATCH }, (_, i) => planned.slice(i * BATCH, (i + 1) * BATCH));

describe('a worker SIGKILLed at a random point of each session', () => {
  const named = (s: Planned) => `${s.point}${s.isKilledTwice ? ' ×2' : ''}`;
  it.each(batches.map((batch, i) => [i + 1, batch.map(named).join(', '), batch] as const))(
    'batch %i (%s): a new worker ends every session with one answer, no duplicate, nothing left behind',
    async (_n, _points, batch) => {
      armAll(batch);
      await Promise.all(batch.map((s) => mention(s)));
      await killWhenParked(batch);
      const again = batch.filter((s) => s.isKilledTwice);
      armAll(again);
      await startWorker();
      if (again.length > 0) {
        await killWhenParked(again);
        await startWorker();
      }
      const problems = (await Promise.all(batch.map((s) => outcome(s)))).flat();
      tally.sessions += batch.length;
      expect(problems).toEqual([]);
    },
    150_000,
  );
});
