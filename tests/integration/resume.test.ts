import { randomBytes } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
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
  JOB_LOCK_MS: '1500',
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

async function readyBot() {
  const bot = await new BotRepository(db.db).create({
    teamId: 'T0001',
    name: 'durable',
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
    label: 'k',
    secret: ANTHROPIC_KEY,
    createdBy: 'U0001',
  });
  const client = new Anthropic({ apiKey: ANTHROPIC_KEY, baseURL: anthropic.url, maxRetries: 0 });
  const agent = await client.beta.agents.create({ name: 'Durable', model: 'claude-sonnet-4-6' });
  const environment = await client.beta.environments.create({ name: 'durable-env', config: { type: 'cloud' } });
  await new ClaudeConnectionRepository(db.db).save(bot.id, {
    keyId: key.id,
    mode: 'existing',
    agentId: agent.id,
    environmentId: environment.id,
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
    await send.event(appMention({ text: '<@UBATON> durable go', ts: '1700000900.000100' }));

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
