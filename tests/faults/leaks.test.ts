import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { ClaudeConnectionRepository } from '../../models/claude-connections';
import { startBaton } from '../../src/baton';
import { runDoctor } from '../../src/doctor';
import { createLogger } from '../../src/log';
import { ACTION, INPUT, VALUE, VIEW } from '../../src/views/ids';
import type { Step } from '../fakes/managed-agents';
import type { SlackCall } from '../fakes/slack-api';
import { BOT_TOKEN, SIGNING_SECRET, startHarness, type Harness } from '../support/harness';
import {
  appMention,
  blockActions,
  selectedOption,
  textInput,
  viewPayload,
  viewSubmission,
} from '../support/slack-requests';
import { saveManaged } from '../integration/agent-tools-helpers';
import { botsQuery, viewIdOf } from '../integration/bots-helpers';
import {
  connectThroughBrowser,
  startGitHubHarness,
  WEBHOOK_SECRET,
  type GitHubHarness,
} from '../integration/github-helpers';
import { sessionsQuery } from '../integration/sessions-helpers';
import { baseUrl, mcpClient, resultText } from '../integration/tools-helpers';

// Issue 10: plant every kind of secret Baton holds, drive sessions, tools, the API, errors and a failed start-up
// through the real entry points, then read everything Baton wrote or sent: no planted secret may show anywhere
// (raw, base64 at any alignment, base64url or URL-encoded).

/** Anthropic keys saved as an admin does, through the Add key modal; the second is refused once saved. */
const ANTHROPIC_PLANTED = 'sk-ant-api03-leaks0planted0key00000L3k9';
const ANTHROPIC_REVOKED = 'sk-ant-api03-leaks0revoked0key00000R7q2';
const MCP_BEARER = 'leaks-custom-mcp-bearer-5f1c9a77e3';
const REDIS_PASSWORD = 'leaksRedisPw7Kq2XzT4';
const DATABASE_PASSWORD = 'leaksDbPw9Hn3Vb6Mc1';
const MISTYPED_REDIS_PASSWORD = 'leaksMistypedPw2Wd8Ls';

const secrets = new Map<string, string>([
  ['Anthropic key', ANTHROPIC_PLANTED],
  ['refused Anthropic key', ANTHROPIC_REVOKED],
  ['Slack bot token', BOT_TOKEN],
  ['Slack signing secret', SIGNING_SECRET],
  ['GitHub webhook secret', WEBHOOK_SECRET],
  ['custom MCP server bearer', MCP_BEARER],
  ['Redis password', REDIS_PASSWORD],
  ['database password', DATABASE_PASSWORD],
  ['mistyped Redis password', MISTYPED_REDIS_PASSWORD],
]);
/** Secrets Baton hands to Anthropic on purpose, as vault credentials or repository resources of a session. */
const isDeliveredToAnthropic = (name: string) =>
  /^(custom MCP server bearer|session MCP token|GitHub installation token)/.test(name);
const isCredentialDelivery = (method: string, path: string) =>
  method === 'POST' &&
  /^\/v1\/(vaults\/[^/]+\/credentials(\/[^/]+)?|sessions(\/[^/]+\/resources(\/[^/]+)?)?)$/.test(path);

const text = (value: unknown) => JSON.stringify(value);

/** The ways a secret could be written down: as is, URL-encoded, and base64/base64url at each of the three alignments. */
function encodings(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret)]);
  for (const pad of [0, 1, 2]) {
    const bytes = Buffer.concat([Buffer.alloc(pad), Buffer.from(secret)]);
    for (const encoding of ['base64', 'base64url'] as const) {
      const encoded = bytes.toString(encoding).replace(/=+$/, '');
      // Drop the characters that also depend on the bytes around the secret.
      forms.add(encoded.slice(pad ? 4 : 0, encoded.length - 4));
    }
  }
  return [...forms];
}

const tally = { delivered: 0, logLines: 0, slackCalls: 0, jobPayloads: 0, providerRequests: 0, rows: 0 };
const found: string[] = [];

/** Records every planted secret (in any encoding) found in `where`, skipping the ones `allowed` says may be there. */
function scan(place: string, where: string, allowed: (name: string) => boolean = () => false) {
  for (const [name, secret] of secrets) {
    if (!encodings(secret).some((form) => where.includes(form))) continue;
    if (allowed(name)) tally.delivered += 1;
    else found.push(`${name} in ${place}`);
  }
}

let redis: ChildProcess;
let redisUrl = '';
let g: GitHubHarness;
let h: Harness;
let logs = '';
const slackCalls: SlackCall[] = [];
const doctorLines: string[] = [];
/** The one Slack answer allowed to show the personal API token: the ephemeral one to the admin who made it. */
let tokenShown: SlackCall | undefined;
const sink = () =>
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString('utf8');
      done();
    },
  });

async function startOwnRedis(): Promise<void> {
  const port = randomInt(20_000, 30_000);
  redis = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--requirepass', REDIS_PASSWORD],
    { stdio: 'ignore' },
  );
  redisUrl = `redis://:${REDIS_PASSWORD}@127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
}

beforeAll(async () => {
  await startOwnRedis();
  g = await startGitHubHarness({ LOG_LEVEL: 'debug', REDIS_URL: redisUrl }, undefined, sink());
  h = g.h;
  secrets.set('encryption key', h.config.encryptionKey!);
  // Some steps start from a clean fake Slack (connecting GitHub does): keep what it had recorded for the scan.
  const reset = h.slack.reset.bind(h.slack);
  h.slack.reset = () => {
    slackCalls.push(...h.slack.calls);
    reset();
  };
});
afterAll(async () => {
  await g?.stop();
  redis?.kill();
  console.log(
    `faults/leaks: ${secrets.size} secrets planted, ${tally.logLines} log lines, ${tally.slackCalls} Slack calls, ` +
      `${tally.jobPayloads} job payloads, ${tally.providerRequests} provider requests, ${tally.rows} rows scanned, ` +
      `found: ${found.length}`,
  );
});

let thread = 0;
async function mention(botName: string, ask: string) {
  thread += 1;
  const root = h.slack.seedMessage({ text: ask, user: 'U0002' });
  await h.send.event(
    appMention({ text: `<@UBATON> ${botName} ${ask}`, ts: `1700009${thread}.000100`, thread_ts: root.ts }),
  );
  return root;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits for a Slack call made after the `before`-th one (earlier calls of the same kind belong to other steps). */
const callAfter = (before: number, method: string, predicate: (call: SlackCall) => boolean = () => true) =>
  h.slack.waitFor(method, (c) => h.slack.calls.indexOf(c) >= before && predicate(c));

/** Opens the bot's Agent connection modal as an admin does and returns it as the payload of later actions. */
async function openConnection(botId: string) {
  const before = h.slack.calls.length;
  await h.send.interaction(
    blockActions({ action_id: ACTION.openConnection, value: botId, view: viewPayload({ callback_id: VIEW.bot }) }),
  );
  const pushed = await callAfter(before, 'views.push', (c) => text(c.args.view).includes(VIEW.connection));
  return viewPayload({ id: viewIdOf(pushed), callback_id: VIEW.connection, private_metadata: text({ botId }) });
}

/** Adds an Anthropic key through the bot's connection modal (Add key), as an admin does; returns its id. */
async function addKeyThroughModal(botId: string, label: string, secret: string): Promise<string> {
  const view = await openConnection(botId);
  const before = h.slack.calls.length;
  await h.send.interaction(blockActions({ action_id: ACTION.addKey, value: botId, view }));
  const pushed = await callAfter(before, 'views.push', (c) => text(c.args.view).includes(VIEW.addKey));
  const response = await h.send.interaction(
    viewSubmission({
      callback_id: VIEW.addKey,
      private_metadata: (pushed.args.view as { private_metadata: string }).private_metadata,
      values: {
        [INPUT.keyLabel]: { [VALUE]: textInput(label) },
        [INPUT.keySecret]: { [VALUE]: textInput(secret) },
      },
    }),
  );
  expect(response.status).toBe(200);
  await callAfter(before, 'views.update', (c) => text(c.args.view).includes('Connection valid'));
  const keys = await botsQuery(h).keys('T0001');
  return keys.find((k) => k.label === label)!.id;
}

/** A bot on an existing agent and environment, run with an Anthropic key saved through the modal. */
async function existingBot(name: string, secret: string) {
  const bot = await botsQuery(h).createClaudeBot(name);
  const keyId = await addKeyThroughModal(bot.id, `${name}-key`, secret);
  const client = h.anthropicClient();
  const agent = await client.beta.agents.create({ name: `Agent ${name}`, model: 'claude-sonnet-4-6' });
  const environment = await client.beta.environments.create({ name: `env-${name}`, config: { type: 'cloud' } });
  await new ClaudeConnectionRepository(h.db.db).save(bot.id, {
    keyId,
    mode: 'existing',
    agentId: agent.id,
    environmentId: environment.id,
  });
  return { bot, agent };
}

/** A pull request through GitHub's MCP server that someone has to approve, then an answer. */
const openPullRequest: Step[] = [
  { modelRequestStart: true },
  {
    mcpToolUse: {
      server: 'github',
      name: 'create_pull_request',
      input: { owner: 'leaky-org', repo: 'api', title: 'Fix it', head: 'fix', base: 'main' },
      as: 'pr',
      permission: 'ask',
    },
  },
  { modelRequestEnd: true },
  { awaitConfirmation: 'pr' },
  { toolResult: 'pr', text: text({ id: '7', url: 'https://github.com/leaky-org/api/pull/7' }) },
  { modelRequestStart: true },
  { message: 'I opened a pull request.' },
  { modelRequestEnd: true },
];

async function api(path: string, token: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${baseUrl(h)}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: text(init.body) } : {}),
  });
  await response.text();
  return response.status;
}

describe('secrets planted across Baton', () => {
  it('never show in logs, Slack calls, jobs, provider requests or stored rows', async () => {
    h.anthropic.setApiKey(ANTHROPIC_PLANTED, 'valid');
    h.anthropic.setApiKey(ANTHROPIC_REVOKED, 'valid');

    // 1. A bot connected to GitHub runs a session that calls Baton's MCP tools and waits for an approval.
    const { bot, agent } = await existingBot('leaky', ANTHROPIC_PLANTED);
    const { installation } = await connectThroughBrowser(g, bot.id, 'leaky-org', ['api', 'web']);
    await g.store.choose(bot.id, [{ fullName: 'leaky-org/api', branch: 'main' }]);
    h.anthropic.defineScenario('open-pull-request', openPullRequest);
    h.anthropic.setScenario(agent.id, 'open-pull-request');
    const root = await mention('leaky', 'please fix the build');
    const waiting = await sessionsQuery(h).waitFor(bot.id, 'awaiting_input');

    // The session's own MCP token, as the agent gets it from its vault: tools that work, one refused, a bad token.
    const sessionToken = await until('the session MCP token', () =>
      h.anthropic
        .credentialsOf(waiting.providerState.vaultId!)
        .map((c) => c.secretAuth['token'])
        .find((t): t is string => typeof t === 'string' && t.startsWith('btn_mcp_')),
    );
    secrets.set('session MCP token', sessionToken);
    const agentClient = await mcpClient(h, sessionToken);
    expect(resultText(await agentClient.callTool({ name: 'get_task_context', arguments: {} }))).toContain(
      'fix the build',
    );
    await agentClient.callTool({ name: 'update_status', arguments: { status: 'Opening a pull request' } });
    const refused = await agentClient.callTool({ name: 'post_message', arguments: { channel: 'C0002', text: 'hi' } });
    expect(refused.isError).toBe(true);
    await agentClient.close();
    const badMcp = await fetch(`${baseUrl(h)}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sessionToken}x`, 'content-type': 'application/json' },
      body: text({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(badMcp.status).toBe(401);

    const approval = await h.slack.waitFor('chat.postMessage', (c) => text(c.args.blocks).includes(ACTION.approveTool));
    const value = /"action_id":"session\.approve","value":"((?:[^"\\]|\\.)*)"/.exec(text(approval.args.blocks))![1]!;
    await h.send.interaction(
      blockActions({
        action_id: ACTION.approveTool,
        value: JSON.parse(`"${value}"`) as string,
        message: { thread_ts: root.ts },
      }),
    );
    await sessionsQuery(h).waitFor(bot.id, 'done');

    // 2. Personal API token: reads, a comment, a missing thread, a bad token.
    // It is made as an admin does (/baton tokens, then a lifetime) and shown once, in that ephemeral answer only.
    const create = blockActions({
      action_id: ACTION.createToken,
      action: selectedOption(`${bot.id}/90`, 'Expires in 90 days'),
    });
    await h.send.interaction(create);
    tokenShown = await h.slack.waitFor(
      'response_url',
      (c) => c.path === new URL(String((create as { response_url?: string }).response_url)).pathname,
    );
    const apiToken = /btn_pat_[A-Za-z0-9_-]{43}/.exec(text(tokenShown.args))![0];
    secrets.set('personal API token', apiToken);
    expect(await api(`/threads/C0001/${root.ts}/context`, apiToken)).toBe(200);
    expect(
      await api(`/threads/C0001/${root.ts}/comments`, apiToken, { method: 'POST', body: { text: 'Noted.' } }),
    ).toBe(201);
    expect(await api('/threads/C0001/1.000/context', apiToken)).toBeGreaterThanOrEqual(400);
    expect(await api(`/threads/C0001/${root.ts}/context`, `${apiToken}x`)).toBe(401);

    // 3. A managed bot with a custom MCP server behind a bearer token, saved through the modal; it answers.
    const helper = await botsQuery(h).createClaudeBot('helper');
    const helperKey = await addKeyThroughModal(helper.id, 'helper-key', ANTHROPIC_PLANTED);
    await saveManaged(h, helper.id, helperKey, []);
    const parent = await openConnection(helper.id);
    await h.send.interaction(
      viewSubmission({
        callback_id: VIEW.mcpServer,
        private_metadata: text({ botId: helper.id, parentViewId: parent.id }),
        values: {
          [INPUT.mcpName]: { [VALUE]: textInput('linear') },
          [INPUT.mcpUrl]: { [VALUE]: textInput('https://mcp.linear.example/mcp') },
          [INPUT.mcpAuth]: { [VALUE]: selectedOption('bearer', 'bearer', 'radio_buttons') },
          [INPUT.mcpToken]: { [VALUE]: textInput(MCP_BEARER) },
          [INPUT.mcpTrusted]: { [VALUE]: { type: 'checkboxes', selected_options: [] } },
        },
      }),
    );
    await botsQuery(h).waitForStatus(helper.id, 'ready');
    const vaultId = (await botsQuery(h).connection(helper.id))!.batonVaultId!;
    await until('the bearer in the vault', () =>
      h.anthropic.credentialsOf(vaultId).some((c) => c.secretAuth['token'] === MCP_BEARER),
    );
    h.anthropic.setScenario('default', 'plain', { text: 'Helped.' });
    await mention('helper', 'summarise this');
    await sessionsQuery(h).waitFor(helper.id, 'done');

    // 4. Anthropic answers a session's start with a 500.
    h.anthropic.failNext(/^\/v1\/sessions$/, { status: 500, method: 'POST', message: 'upstream exploded' });
    await mention('helper', 'try again');
    await until('a second session of helper ended', async () => {
      const sessions = await sessionsQuery(h).forBot(helper.id);
      return sessions.length === 2 && ['done', 'failed'].includes(sessions[0]!.status);
    });

    // 5. A key Anthropic stops accepting: the session fails and says why.
    const { bot: revoked } = await existingBot('revoked', ANTHROPIC_REVOKED);
    h.anthropic.setApiKey(ANTHROPIC_REVOKED, null);
    await mention('revoked', 'are you there');
    await sessionsQuery(h).waitFor(revoked.id, 'failed');

    // 6. Slack fails calls of a session (a 500, a refused token, a rate limit), then GitHub refuses the installation.
    h.slack.failNext('reactions.add', { error: 'invalid_auth' });
    h.slack.failNext('chat.postMessage', { status: 500 });
    h.slack.failNext('chat.update', { status: 429, retryAfterSec: 1 });
    h.anthropic.setScenario('default', 'plain', { text: 'Answered through the faults.' });
    await mention('helper', 'once more');
    await until('a third session of helper ended', async () => {
      const sessions = await sessionsQuery(h).forBot(helper.id);
      return sessions.length === 3 && ['done', 'failed'].includes(sessions[0]!.status);
    });
    g.github.suspend(installation.id);
    h.anthropic.setScenario(agent.id, 'plain', { text: 'Without the repositories.' });
    await mention('leaky', 'and again');
    await until('a second session of leaky ended', async () => {
      const sessions = await sessionsQuery(h).forBot(bot.id);
      return sessions.length === 2 && ['done', 'failed'].includes(sessions[0]!.status);
    });

    // 7. Start-ups that cannot open their database or reach Redis (a mistyped password), with passwords in the URLs.
    const failedStart = async (change: Partial<typeof h.config>) => {
      const error = await startBaton({ ...h.config, port: 0, ...change }, createLogger('debug', sink())).then(
        () => undefined,
        (caught: Error) => caught,
      );
      expect(error).toBeInstanceOf(Error);
      scan('a start-up error', `${error?.message}\n${error?.stack}`);
      return error?.message;
    };
    expect(await failedStart({ databaseUrl: `postgres://baton:${DATABASE_PASSWORD}@127.0.0.1:1/baton` })).toContain(
      'Cannot open the database',
    );
    expect(await failedStart({ redisUrl: redisUrl.replace(REDIS_PASSWORD, MISTYPED_REDIS_PASSWORD) })).toContain(
      'Cannot reach Redis',
    );

    // 8. `baton doctor` on the working setup, then with a mistyped Redis password and an unreachable database.
    const doctorEnv = {
      NODE_ENV: 'test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: h.slack.url,
      ANTHROPIC_BASE_URL: h.anthropic.url,
      REDIS_URL: redisUrl,
      DATABASE_URL: h.config.databaseUrl!,
      BATON_ENCRYPTION_KEY: h.config.encryptionKey!,
      PUBLIC_URL: `http://127.0.0.1:${h.baton.port}`,
    };
    // The revoked key fails its check, so the doctor exits 1 even here.
    expect(await runDoctor(doctorEnv, (line) => doctorLines.push(line))).toBe(1);
    expect(doctorLines.find((line) => line.includes('Redis:'))).toMatch(/^ok +Redis: answers at redis:\/\/\*\*\*@/);
    const broken = {
      ...doctorEnv,
      REDIS_URL: redisUrl.replace(REDIS_PASSWORD, MISTYPED_REDIS_PASSWORD),
      DATABASE_URL: `postgres://baton:${DATABASE_PASSWORD}@127.0.0.1:1/baton`,
    };
    const healthyLines = doctorLines.length;
    expect(await runDoctor(broken, (line) => doctorLines.push(line))).toBe(1);
    expect(doctorLines.slice(healthyLines).filter((line) => /^FAIL +(Redis|Database):/.test(line))).toHaveLength(2);

    // Every GitHub installation token minted and every session's MCP token (each session has its own) is planted too.
    for (const [index, minted] of g.github.tokensFor(installation.id).entries())
      secrets.set(`GitHub installation token ${index}`, minted.token);
    // Session vaults are gone by now: take the tokens from the credentials Baton sent to Anthropic.
    const delivered = text(h.anthropic.requests.map((r) => r.body)).match(/btn_mcp_[A-Za-z0-9_-]{20,}/g) ?? [];
    const mcpTokens = [...new Set(delivered)].filter((t) => t !== sessionToken);
    mcpTokens.forEach((token, index) => secrets.set(`session MCP token ${index + 2}`, token));
    expect(mcpTokens.length).toBeGreaterThanOrEqual(3);

    await scanEverything();
    expect(found).toEqual([]);
  });
});

async function scanEverything(): Promise<void> {
  const lines = logs.split('\n').filter(Boolean);
  tally.logLines = lines.length + doctorLines.length;
  expect(lines.length).toBeGreaterThan(100);
  lines.forEach((line, index) => scan(`log line ${index}`, line));
  doctorLines.forEach((line) => scan(`doctor line "${line}"`, line));

  slackCalls.push(...h.slack.calls);
  tally.slackCalls = slackCalls.length;
  for (const call of slackCalls)
    scan(
      `Slack ${call.method}`,
      text({ ...call, token: undefined }),
      (name) => name === 'personal API token' && call === tokenShown,
    );

  const anthropic = h.anthropic.requests;
  const github = g.github.requests;
  const cursor = h.cursor.requests;
  tally.providerRequests = anthropic.length + github.length + cursor.length;
  for (const r of anthropic) {
    const delivery = isCredentialDelivery(r.method, r.path);
    scan(
      `Anthropic ${r.method} ${r.path}`,
      text([r.path, r.query, r.body, r.headers]),
      (name) => delivery && isDeliveredToAnthropic(name),
    );
  }
  // The scan does see a secret where it belongs: the vault credentials and repositories Anthropic was given.
  expect(tally.delivered).toBeGreaterThanOrEqual(3);
  for (const r of github) scan(`GitHub ${r.method} ${r.path}`, text(r));
  for (const r of cursor) scan(`Cursor ${r.method} ${r.path}`, text(r));

  await scanRedis(h.config.redisPrefix);
  expect(tally.jobPayloads).toBeGreaterThan(5);
  await scanTables(h);
}

/** Every key of Baton's prefix on its own Redis: BullMQ job hashes, lists, streams, sets and plain values. */
async function scanRedis(prefix: string): Promise<void> {
  const client = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      for (const key of keys) {
        const type = await client.type(key);
        let value: unknown;
        if (type === 'string') value = await client.get(key);
        else if (type === 'hash') value = await client.hgetall(key);
        else if (type === 'list') value = await client.lrange(key, '0', '-1');
        else if (type === 'set') value = await client.smembers(key);
        else if (type === 'zset') value = await client.zrange(key, '0', '-1');
        else if (type === 'stream') value = await client.xrange(key, '-', '+');
        if (type === 'hash' && 'data' in (value as Record<string, string>)) tally.jobPayloads += 1;
        scan(`Redis ${key}`, `${key}\n${text(value)}`);
      }
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** Every row of every table in Baton's database (audit log, session events, sessions, connections, …). */
async function scanTables({ db }: Harness): Promise<void> {
  const tables = (await db.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  )) as unknown as { rows: Array<{ table_name: string }> };
  for (const { table_name: table } of tables.rows) {
    const rows = (await db.db.execute(sql.raw(`select * from "${table}"`))) as unknown as { rows: unknown[] };
    tally.rows += rows.rows.length;
    rows.rows.forEach((row, index) => scan(`${table} row ${index}`, text(row)));
  }
}

describe('secrets of a workspace installed with OAuth', () => {
  const CLIENT_SECRET = 'leaks-oauth-client-secret-8Jd2';
  const STATE_SECRET = 'leaks-oauth-state-secret-4Kx7';
  const CODE = 'leaks-oauth-code-6Tn1Vq';
  let o: Harness;
  let logsFrom = 0;
  beforeAll(async () => {
    logsFrom = logs.length;
    o = await startHarness(
      {
        SLACK_BOT_TOKEN: '',
        SLACK_CLIENT_ID: '111.222',
        SLACK_CLIENT_SECRET: CLIENT_SECRET,
        SLACK_STATE_SECRET: STATE_SECRET,
        LOG_LEVEL: 'debug',
        REDIS_URL: redisUrl,
      },
      {},
      sink(),
    );
  });
  afterAll(() => o?.stop());

  it('never show the client secret, state secret, code or installed bot token outside the exchange with Slack', async () => {
    secrets.set('Slack client secret', CLIENT_SECRET);
    secrets.set('Slack state secret', STATE_SECRET);
    secrets.set('OAuth code', CODE);
    const base = `http://127.0.0.1:${o.baton.port}`;
    const install = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    const state = new URL(install.headers.get('location') ?? '').searchParams.get('state');
    const cookie = install.headers.get('set-cookie')?.split(';')[0] ?? '';
    // A forged state first, then the real redirect, then the same redirect replayed.
    const forged = await fetch(`${base}/slack/oauth_redirect?code=${CODE}&state=forged`, { headers: { cookie } });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    const redirect = `${base}/slack/oauth_redirect?code=${CODE}&state=${state}`;
    expect((await fetch(redirect, { headers: { cookie } })).status).toBe(200);
    await fetch(redirect, { headers: { cookie } });
    const exchange = await o.slack.waitFor('oauth.v2.access');
    secrets.set('installed bot token', (exchange.response as { access_token: string }).access_token);

    await o.send.event(appMention({ text: '<@UBATON> ping', ts: '1700009900.000100' }));
    await o.slack.waitFor('chat.postMessage');

    const lines = logs.slice(logsFrom).split('\n').filter(Boolean);
    tally.logLines += lines.length;
    lines.forEach((line, index) => scan(`OAuth log line ${index}`, line));
    tally.slackCalls += o.slack.calls.length;
    for (const call of o.slack.calls)
      scan(
        `OAuth Slack ${call.method}`,
        text({ ...call, token: undefined }),
        (name) =>
          // The exchange itself (the replayed redirect makes a second one): Baton sends the code and client secret,
          // Slack answers with the token.
          call.method === 'oauth.v2.access' &&
          ['Slack client secret', 'OAuth code', 'installed bot token'].includes(name),
      );
    await scanRedis(o.config.redisPrefix);
    await scanTables(o);
    expect(found).toEqual([]);
  });
});
