import { randomBytes } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { Redis } from 'ioredis';
import { createRunSessionJob, SESSION_QUEUE_NAME } from '../../jobs/definitions';
import { CRASHES_TOLERATED } from '../../jobs/deps';
import { BotRepository } from '../../models/bots';
import { ClaudeConnectionRepository } from '../../models/claude-connections';
import { MEMORY_DATA_DIR, openDatabase, type DatabaseHandle } from '../../models/database';
import { ProviderKeyRepository } from '../../models/provider-keys';
import { SessionRepository } from '../../models/sessions';
import { Secrets } from '../../src/crypto/secrets';
import { startFakeManagedAgents, type FakeManagedAgents } from '../fakes/managed-agents';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api';
import { runBaton, type ChildBaton } from '../support/child-baton';
import { createScratchPostgres, type ScratchPostgres } from '../support/databases';
import { ANTHROPIC_KEY } from '../support/harness';
import { deleteRedisPrefix, testRedisUrl, uniqueRedisPrefix } from '../support/redis';
import { appMention, createSlackSender } from '../support/slack-requests';

const encryptionKey = randomBytes(32);
let slack: FakeSlack;
let anthropic: FakeManagedAgents;
let scratch: ScratchPostgres;
let db: DatabaseHandle;
const prefix = uniqueRedisPrefix();
const running: ChildBaton[] = [];

const env = () => ({
  PORT: '0',
  LOG_LEVEL: 'info',
  DATABASE_URL: scratch.url,
  REDIS_URL: testRedisUrl,
  BATON_REDIS_PREFIX: prefix,
  BATON_ENCRYPTION_KEY: encryptionKey.toString('base64'),
  SLACK_SIGNING_SECRET: 'resume-secret',
  SLACK_BOT_TOKEN: 'xoxb-resume',
  SLACK_API_URL: slack.url,
  SLACK_API_RETRIES: '0',
  ANTHROPIC_BASE_URL: anthropic.url,
  ANTHROPIC_API_RETRIES: '0',
  CONFIRM_TIMEOUT_MS: '1500',
  JOB_LOCK_MS: '4000',
});

beforeAll(async () => {
  slack = await startFakeSlack();
  anthropic = await startFakeManagedAgents({ apiKeys: { [ANTHROPIC_KEY]: 'valid' } });
  scratch = await createScratchPostgres();
  db = await openDatabase({ databaseUrl: scratch.url, dataDir: MEMORY_DATA_DIR });
});
afterAll(async () => {
  for (const baton of running) baton.child.kill('SIGKILL');
  await db.close();
  await scratch.drop();
  await slack.close();
  await anthropic.close();
  await deleteRedisPrefix(prefix);
});

let bots = 0;
/** A bot on an existing agent; `withLinear` gives the agent a Linear MCP server whose tools ask first. */
async function readyBot(withLinear = false) {
  const name = `durable${++bots}`;
  const bot = await new BotRepository(db.db).create({
    teamId: 'T0001',
    name,
    displayName: 'Durable',
    icon: null,
    type: 'claude',
    description: '',
    createdBy: 'U0001',
  });
  const keys = new ProviderKeyRepository(db.db, new Secrets(encryptionKey));
  const key = await keys.create({
    teamId: 'T0001',
    provider: 'anthropic',
    label: `k-${name}`,
    secret: ANTHROPIC_KEY,
    createdBy: 'U0001',
  });
  const client = new Anthropic({ apiKey: ANTHROPIC_KEY, baseURL: anthropic.url, maxRetries: 0 });
  const url = 'https://mcp.linear.example/mcp';
  const agent = await client.beta.agents.create({
    name: 'Durable',
    model: 'claude-sonnet-4-6',
    ...(withLinear
      ? {
          mcp_servers: [{ type: 'url' as const, name: 'linear', url }],
          tools: [{ type: 'mcp_toolset' as const, mcp_server_name: 'linear' }],
        }
      : {}),
  });
  const vault = await client.beta.vaults.create({ display_name: 'Team vault' });
  await client.beta.vaults.credentials.create(vault.id, {
    auth: { type: 'static_bearer', mcp_server_url: url, token: 'lin_secret' },
  });
  const environment = await client.beta.environments.create({ name: `${name}-env`, config: { type: 'cloud' } });
  await new ClaudeConnectionRepository(db.db).save(bot.id, {
    keyId: key.id,
    mode: 'existing',
    agentId: agent.id,
    environmentId: environment.id,
    vaultIds: [vault.id],
  });
  return bot;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('timed out');
}

describe('a worker killed mid-session', () => {
  it('is replaced by another that resumes from the stored events: no duplicate posts, the answer arrives', async () => {
    const bot = await readyBot();
    const sessions = new SessionRepository(db.db);
    anthropic.setScenario('default', 'slow', { delayMs: '1500', text: 'Durable answer.' });

    const first = runBaton(env());
    running.push(first);
    const started = await first.waitForLog('web.started');
    const send = createSlackSender({
      baseUrl: `http://127.0.0.1:${String(started.port)}`,
      signingSecret: 'resume-secret',
    });
    await send.event(appMention({ text: `<@UBATON> ${bot.name} go`, ts: '1700000900.000100' }));

    const session = await until(async () => {
      const [s] = await sessions.listForBot(bot.id, 1);
      return s && (await sessions.events(s.id)).length >= 1 ? s : undefined;
    });
    first.child.kill('SIGKILL');
    await first.exited;

    const second = runBaton(env());
    running.push(second);
    const done = await until(async () => {
      const s = await sessions.get(session.id);
      return s?.status === 'done' ? s : undefined;
    }, 45_000);

    const events = await sessions.events(done.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.map((e) => e.kind)).toContain('turn_ended');
    const answers = slack.callsTo('chat.postMessage').filter((c) => c.args.text === 'Durable answer.');
    expect(answers).toHaveLength(1);
    const cards = slack
      .callsTo('chat.postMessage')
      .filter((c) => JSON.stringify(c.args.blocks ?? '').includes('session.stop'));
    expect(cards).toHaveLength(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});

/** Starts a Baton, mentions the bot in a new thread, and returns the Baton and what to send with. */
async function mention(bot: { name: string }, ts: string) {
  const baton = runBaton(env());
  running.push(baton);
  const started = await baton.waitForLog('web.started');
  const send = createSlackSender({
    baseUrl: `http://127.0.0.1:${String(started.port)}`,
    signingSecret: 'resume-secret',
  });
  await send.event(appMention({ text: `<@UBATON> ${bot.name} go`, ts }));
  return baton;
}

async function sessionOf(botId: string) {
  const sessions = new SessionRepository(db.db);
  return until(async () => (await sessions.listForBot(botId, 1))[0]);
}

async function kill(baton: ChildBaton) {
  baton.child.kill('SIGKILL');
  await baton.exited;
}

/** A second Baton takes over; resolves once the session has ended, with the time from its worker start. */
async function takeOver(sessionId: string) {
  const sessions = new SessionRepository(db.db);
  const second = runBaton(env());
  running.push(second);
  await second.waitForLog('worker.started');
  const startedAt = Date.now();
  const ended = await until(async () => {
    const s = await sessions.get(sessionId);
    return s && ['done', 'failed', 'stopped'].includes(s.status) ? s : undefined;
  }, 45_000);
  return { second, ended, startedAt };
}

async function stop(baton: ChildBaton) {
  baton.child.kill('SIGTERM');
  expect(await baton.exited).toBe(0);
}

const providerSessionsOf = (sessionId: string) =>
  [...anthropic.sessions.values()].filter((s) => s.metadata['baton_session_id'] === sessionId);

describe('a worker killed with SIGKILL at the worst moment', () => {
  it('after the approval request is stored: the prompt is posted once by the next worker, and the session ends', async () => {
    const bot = await readyBot(true);
    anthropic.setScenario('default', 'tool-confirmation');
    const held = slack.holdNext('chat.postMessage', (a) => JSON.stringify(a.blocks ?? '').includes('session.approve'));
    const first = await mention(bot, '1700001000.000100');
    await held;
    const session = await sessionOf(bot.id);
    const stored = await new SessionRepository(db.db).events(session.id);
    expect(stored.map((e) => e.kind)).toContain('approval_needed');
    await kill(first);

    const { second, ended } = await takeOver(session.id);
    expect(ended.status).toBe('done');
    const prompts = slack
      .callsTo('chat.postMessage')
      .filter(
        (c) => c.args.thread_ts === '1700001000.000100' && JSON.stringify(c.args.blocks ?? '').includes('approve'),
      );
    expect(prompts).toHaveLength(1);
    expect(providerSessionsOf(session.id)).toHaveLength(1);
    await stop(second);
  }, 90_000);

  it('after the final answer is stored: the answer is posted once, within 10 s of the next worker starting', async () => {
    const bot = await readyBot();
    anthropic.setScenario('default', 'plain', { text: 'Stored, not yet posted.' });
    const held = slack.holdNext('chat.postMessage', (a) => String(a.text) === 'Stored, not yet posted.');
    const first = await mention(bot, '1700001100.000100');
    await held;
    const session = await sessionOf(bot.id);
    expect((await new SessionRepository(db.db).events(session.id)).map((e) => e.kind)).toContain('turn_ended');
    await kill(first);

    const { second, ended, startedAt } = await takeOver(session.id);
    expect(ended.status).toBe('done');
    const answers = slack.callsTo('chat.postMessage').filter((c) => c.args.text === 'Stored, not yet posted.');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.at - startedAt).toBeLessThan(10_000);
    expect(providerSessionsOf(session.id)).toHaveLength(1);
    await stop(second);
  }, 90_000);

  it('twice in a row, before the answer is posted: the third worker posts it once and ends the session', async () => {
    const bot = await readyBot();
    anthropic.setScenario('default', 'plain', { text: 'Outlived two crashes.' });
    const isAnswer = (a: Record<string, unknown>) => String(a.text) === 'Outlived two crashes.';
    const held = slack.holdNext('chat.postMessage', isAnswer);
    const first = await mention(bot, '1700001400.000100');
    await held;
    const session = await sessionOf(bot.id);
    await kill(first);

    const heldAgain = slack.holdNext('chat.postMessage', isAnswer);
    const second = runBaton(env());
    running.push(second);
    await heldAgain;
    await kill(second);

    const { second: third, ended } = await takeOver(session.id);
    expect(ended.status).toBe('done');
    expect(slack.callsTo('chat.postMessage').filter((c) => isAnswer(c.args))).toHaveLength(1);
    expect(providerSessionsOf(session.id)).toHaveLength(1);
    await stop(third);
  }, 90_000);

  it('once more than it outlives: the next worker ends the session as failed with a ref and cleans up', async () => {
    const bot = await readyBot();
    anthropic.setScenario('default', 'plain', { text: 'Never posted.' });
    const held = slack.holdNext('chat.postMessage', (a) => String(a.text) === 'Never posted.');
    const first = await mention(bot, '1700001500.000100');
    await held;
    const session = await sessionOf(bot.id);
    await kill(first);
    // As if the workers before had died under it too: the next stall is one more than tolerated.
    const redis = new Redis(testRedisUrl);
    await redis.hset(
      `${prefix}:${SESSION_QUEUE_NAME}:${createRunSessionJob(session, 't').jobId}`,
      'stc',
      CRASHES_TOLERATED,
    );
    redis.disconnect();

    const { second, ended } = await takeOver(session.id);
    expect(ended.status).toBe('failed');
    expect(ended.statusReason).toMatch(/^Something went wrong in Baton \(ref \w+\)\.$/);
    const vaults = () => [...anthropic.vaults.values()].filter((v) => v.metadata['baton_session_id'] === session.id);
    await until(async () => (vaults().length === 0 ? true : undefined), 10_000);
    const posts = slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === '1700001500.000100');
    expect(posts.map((c) => String(c.args.text))).toEqual([
      expect.any(String),
      expect.stringContaining('could not finish'),
    ]);
    expect(second.out.stdout).toContain('"event":"session.abandoned"');
    await stop(second);
  }, 90_000);

  it('after the end is recorded but before what follows it: the next worker finishes the card and cleans up', async () => {
    const bot = await readyBot();
    anthropic.setScenario('default', 'plain', { text: 'Ended, not yet wrapped up.' });
    // Everything after the end is through but the card's final state, which Slack holds: the run waits for it.
    const held = slack.holdNext('chat.update', (a) => JSON.stringify(a.blocks ?? '').includes('Done'));
    const first = await mention(bot, '1700001300.000100');
    await held;
    const session = await sessionOf(bot.id);
    const vaults = () => [...anthropic.vaults.values()].filter((v) => v.metadata['baton_session_id'] === session.id);
    const isChecked = () =>
      slack
        .callsTo('reactions.add')
        .some((c) => c.args.timestamp === '1700001300.000100' && c.args.name === 'white_check_mark');
    await until(async () => (isChecked() && vaults().length === 0 ? true : undefined));
    expect((await new SessionRepository(db.db).get(session.id))?.status).toBe('done');
    await kill(first);

    const { second } = await takeOver(session.id);
    const isCardDone = () =>
      slack.messages('C0001', '1700001300.000100').some((m) => JSON.stringify(m.blocks ?? '').includes('Done'));
    await until(async () => (isCardDone() ? true : undefined));
    expect(slack.callsTo('chat.postMessage').filter((c) => c.args.text === 'Ended, not yet wrapped up.')).toHaveLength(
      1,
    );
    await stop(second);
  }, 90_000);

  it('between creating the provider session and recording it: the next worker finds it, sends nothing twice', async () => {
    const bot = await readyBot();
    anthropic.setScenario('default', 'plain', { text: 'Made once.' });
    anthropic.failNext('/v1/sessions', { method: 'POST', answerAfterMs: 60_000 });
    const first = await mention(bot, '1700001200.000100');
    const session = await sessionOf(bot.id);
    await until(async () => (providerSessionsOf(session.id).length > 0 ? true : undefined));
    await kill(first);
    expect((await new SessionRepository(db.db).get(session.id))?.providerSessionId).toBeNull();

    const { second, ended } = await takeOver(session.id);
    expect(ended.status).toBe('done');
    const [provided] = providerSessionsOf(session.id);
    expect(providerSessionsOf(session.id)).toHaveLength(1);
    expect(ended.providerSessionId).toBe(provided?.id);
    expect(anthropic.eventsOf(provided!.id).filter((e) => e.type === 'user.message')).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.args.text === 'Made once.')).toHaveLength(1);
    // The session's own vault goes with it (cleaned up once the session has ended).
    const vaults = () => [...anthropic.vaults.values()].filter((v) => v.metadata['baton_session_id'] === session.id);
    await until(async () => (vaults().length === 0 ? true : undefined), 10_000);
    await stop(second);
  }, 90_000);
});
