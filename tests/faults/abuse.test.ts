import { randomBytes, randomInt } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { Client } from 'pg';
import { BotRepository } from '../../models/bots';
import type { Bot } from '../../src/domain/bots';
import { baseUrl, toolsFixture } from '../integration/tools-helpers';
import { SIGNING_SECRET, startHarness, type Harness } from '../support/harness';
import { signSlackRequest } from '../support/slack-requests';
import { apiRequest, mcpRequest, slackRequest, type AbuseRequest } from './abuse-inputs';

// At least 10,000 property-based requests against /slack/events, /mcp and /api/v1: nothing answers 5xx, Baton
// stays up, no promise is left rejected, a refused request stores nothing, and the heap returns near its
// baseline. Replay a run with FAULTS_SEED=<seed> (printed first).

const seed = Number(process.env.FAULTS_SEED ?? randomInt(2 ** 31));
const CONCURRENCY = 48;
const tally = { sent: 0, refused: 0, byStatus: new Map<number, number>(), bySurface: { slack: 0, mcp: 0, api: 0 } };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

const problems: unknown[] = [];
const onProblem = (reason: unknown) => problems.push(reason);

let h: Harness;
// Each token may make 60 calls a minute; a pool of them lets most valid calls reach the operations behind the limit.
const POOL = 40;
let tokens: { mcp: string[]; claudePat: string[]; runtimePat: string[] };
let turn = 0;
const pick = (pool: string[]) => pool[turn++ % pool.length]!;
let sessionIds: string[];

async function selfHostedBot(): Promise<Bot> {
  const bots = new BotRepository(h.db.db);
  const bot = await bots.create({
    teamId: 'T0001',
    name: 'runtime',
    displayName: 'runtime',
    icon: null,
    type: 'self_hosted',
    description: '',
    createdBy: 'U0001',
  });
  await bots.setStatus(bot.id, 'ready');
  return { ...bot, status: 'ready' };
}

beforeAll(async () => {
  console.log(`faults/abuse: seed ${seed} (replay with FAULTS_SEED=${seed})`);
  process.on('unhandledRejection', onProblem);
  process.on('uncaughtException', onProblem);
  h = await startHarness();
  const f = toolsFixture(h);
  const claude = await f.bot('abused', 'full');
  const runtime = await selfHostedBot();
  const thread = f.thread([
    ['U0001', 'The build is red'],
    ['U0002', 'Since this morning'],
  ]);
  const claudeSession = await f.session(claude, thread);
  const runtimeSessions = [await f.session(runtime, thread), await f.session(runtime, thread)];
  sessionIds = [claudeSession.id, ...runtimeSessions.map((s) => s.id)];
  const pool = <T>(make: () => Promise<T>) => Promise.all(Array.from({ length: POOL }, make));
  tokens = {
    mcp: await pool(() => f.mcpToken(claudeSession, claude)),
    claudePat: await pool(async () => (await f.apiToken(claude)).token),
    runtimePat: await pool(async () => (await f.apiToken(runtime)).token),
  };
});

afterAll(async () => {
  process.off('unhandledRejection', onProblem);
  process.off('uncaughtException', onProblem);
  await h.stop();
});

const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, '');

function authorization(r: AbuseRequest): string | undefined {
  const valid = pick(
    r.surface === 'mcp' ? tokens.mcp : r.path.includes('/sessions/') ? tokens.runtimePat : tokens.claudePat,
  );
  const otherKind = pick(r.surface === 'mcp' ? tokens.claudePat : tokens.mcp);
  const unknown = `${r.surface === 'mcp' ? 'btn_mcp_' : 'btn_pat_'}${randomBytes(32).toString('base64url')}`;
  switch (r.auth) {
    case 'valid':
      return `Bearer ${valid}`;
    case 'wrong_kind':
      return `Bearer ${otherKind}`;
    case 'unknown':
      return `Bearer ${unknown}`;
    case 'garbage':
      return printable(r.garbage ?? '');
    default:
      return undefined;
  }
}

function slackHeaders(r: AbuseRequest): Record<string, string> {
  if (r.signing === 'unsigned') return {};
  const now = Math.floor(Date.now() / 1000);
  const timestamp = r.signing === 'stale' ? now - 600 : now;
  const secret = r.signing === 'bad' ? `${SIGNING_SECRET}-wrong` : SIGNING_SECRET;
  return {
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signSlackRequest(secret, timestamp, r.body ?? ''),
  };
}

const describeRequest = (r: AbuseRequest) =>
  `${r.method} ${r.path.slice(0, 200)} ${r.signing ?? r.auth} ${r.contentType} ${(r.body ?? '').slice(0, 300)}`;

async function send(r: AbuseRequest): Promise<number> {
  const auth = r.surface === 'slack' ? undefined : authorization(r);
  const headers: Record<string, string> = {
    ...r.headers,
    ...(r.contentType ? { 'content-type': r.contentType } : {}),
    ...(r.surface === 'slack' ? slackHeaders(r) : {}),
    ...(auth ? { authorization: auth } : {}),
  };
  let status: number;
  try {
    const response = await fetch(`${baseUrl(h)}${r.path}`, { method: r.method, headers, body: r.body });
    await response.arrayBuffer();
    status = response.status;
  } catch (error) {
    throw new Error(
      `no answer (${(error as Error).message}, ${String((error as Error).cause)}) to ${describeRequest(r)}`,
      { cause: error },
    );
  }
  tally.sent++;
  tally.bySurface[r.surface]++;
  tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
  if (status >= 500) throw new Error(`${status} for ${describeRequest(r)}`);
  return status;
}

/** Slack checks SSL with an unsigned `ssl_check=1` form, which Bolt answers 200 by design and stores nothing. */
const isSslCheck = (r: AbuseRequest) =>
  r.contentType === 'application/x-www-form-urlencoded' && new URLSearchParams(r.body ?? '').get('ssl_check') === '1';

/** Requests that may be answered 2xx without credentials: the OpenAPI document, and Slack's unsigned SSL check. */
const isPublic = (r: AbuseRequest) =>
  isSslCheck(r) || (r.method === 'GET' && r.path.startsWith('/api/v1/openapi.json'));

/**
 * Sends `requests` inputs drawn from `arb` with a seed, 48 at a time: a signed request nobody acks waits Bolt's 3 s
 * before its 404, and must not hold up the others. `isRefused` also demands a 4xx. A failure names the seed, the
 * request's index and the request itself, so FAULTS_SEED replays it.
 */
async function run(arb: fc.Arbitrary<AbuseRequest>, requests: number, offset: number, isRefused = false) {
  const inputs: Array<AbuseRequest | undefined> = fc.sample(arb, { seed: seed + offset, numRuns: requests });
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < inputs.length && failures.length === 0) {
      const index = next++;
      const r = inputs[index]!;
      inputs[index] = undefined;
      try {
        const status = await send(r);
        if (isRefused) tally.refused++;
        if (isRefused && status < 400 && !isPublic(r))
          throw new Error(`${status} (not refused) for ${describeRequest(r)}`);
      } catch (error) {
        failures.push(`request #${index}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (failures.length > 0) throw new Error(`seed ${seed + offset}, ${failures[0]!.slice(0, 2_000)}`);
}

async function rowCounts(): Promise<Record<string, number>> {
  const client = new Client({ connectionString: h.config.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    const counts: Record<string, number> = {};
    for (const { table_name: table } of rows) {
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
      counts[table] = Number(result.rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

const isUp = async () => (await fetch(`${baseUrl(h)}/healthz`)).status === 200;

describe('abuse: property-based requests against every surface', () => {
  let baseline = 0;

  it('warms up on a few hundred requests of every kind, then takes its heap baseline', async () => {
    await run(slackRequest(), 200, 1);
    await run(mcpRequest(), 200, 2);
    await run(apiRequest(sessionIds), 200, 3);
    h.slack.reset();
    baseline = await heapAfterGc();
    expect(await isUp()).toBe(true);
  });

  it('refuses unsigned, stale and badly signed Slack requests and bad tokens with a 4xx, storing nothing', async () => {
    const before = await rowCounts();
    await run(slackRequest(true), 800, 11, true);
    await run(mcpRequest(true), 700, 12, true);
    await run(apiRequest(sessionIds, true), 700, 13, true);
    expect(await rowCounts()).toEqual(before);
    expect(await isUp()).toBe(true);
  });

  it('answers signed, malformed, wrong-typed, huge and unicode requests without a 5xx', async () => {
    await run(slackRequest(), 2_600, 21);
    await run(mcpRequest(), 2_300, 22);
    await run(apiRequest(sessionIds), 2_300, 23);
    expect(await isUp()).toBe(true);
  });

  it('sent at least 10,000 requests, left no unhandled rejection, and the heap came back near its baseline', async () => {
    h.slack.reset();
    const after = await heapAfterGc();
    const grownMb = (after - baseline) / 2 ** 20;
    const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    console.log(
      `faults/abuse: ${tally.sent} requests (slack ${tally.bySurface.slack}, mcp ${tally.bySurface.mcp}, ` +
        `api ${tally.bySurface.api}; ${tally.refused} refused as expected), seed ${seed}, ` +
        `statuses ${statuses.join(' ')}, heap ${(baseline / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MB, ` +
        `5xx: 0, lost: 0`,
    );
    expect(tally.sent).toBeGreaterThanOrEqual(10_000);
    expect(problems).toEqual([]);
    expect(grownMb).toBeLessThan(40);
  });
});
