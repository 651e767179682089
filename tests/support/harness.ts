import { randomBytes } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import type { DestinationStream } from 'pino';
import { MEMORY_DATA_DIR, openDatabase, type DatabaseHandle } from '../../models/database';
import { startBaton, type Baton, type BatonClock } from '../../src/baton';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/log';
import { startFakeCursor, type FakeCursor } from '../fakes/cursor';
import { startFakeManagedAgents, type FakeManagedAgents } from '../fakes/managed-agents';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../fakes/slack-api';
import { createScratchPostgres, type ScratchPostgres } from './databases';
import { deleteRedisPrefix, testRedisUrl, uniqueRedisPrefix } from './redis';
import { createSlackSender, type SlackSender } from './slack-requests';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-bot-token';
/** Keys the fake Anthropic API knows; any other well-formed key is rejected with 401. */
export const ANTHROPIC_KEY = 'sk-ant-api03-test0valid0key0000000a1B2';
export const ANTHROPIC_KEY_NO_ACCESS = 'sk-ant-api03-test0no0access000000c3D4';
/** Keys the fake Cursor API knows: a working one and one whose plan lacks Cloud Agents. */
export const CURSOR_KEY = 'key_test0valid0cursor0000000001';
export const CURSOR_KEY_NO_PLAN = 'key_test0no0plan0cursor00000002';

export interface Harness {
  baton: Baton;
  config: Config;
  slack: FakeSlack;
  anthropic: FakeManagedAgents;
  cursor: FakeCursor;
  send: SlackSender;
  /** The real SDK on the fake Anthropic API with the valid test key, to set up and inspect resources. */
  anthropicClient(): Anthropic;
  /** A second connection to Baton's database, for assertions on stored rows. */
  db: DatabaseHandle;
  /** Restarts Baton on the same database, Redis prefix and fake Slack (e.g. after a simulated crash). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Baton exactly as `npm start` does (same config loading and wiring), on a random port, against a
 * scratch PostgreSQL database, a private Redis key prefix, a fake Slack Web API and a fake Anthropic API.
 */
export async function startHarness(
  env: Record<string, string> = {},
  fakeSlack: FakeSlackOptions = {},
  /** Where Baton's logs go (a test that checks them for secrets); default stdout. */
  logDestination?: DestinationStream,
  /** The clock sessions read and how often they check GitHub tokens (a test steps it). */
  clock: BatonClock = {},
): Promise<Harness> {
  const slack = await startFakeSlack(fakeSlack);
  const anthropic = await startFakeManagedAgents({
    apiKeys: { [ANTHROPIC_KEY]: 'valid', [ANTHROPIC_KEY_NO_ACCESS]: 'no_managed_agents' },
  });
  const cursor = await startFakeCursor({ [CURSOR_KEY]: 'valid', [CURSOR_KEY_NO_PLAN]: 'plan_required' });
  const database: ScratchPostgres | undefined =
    env.DATABASE_URL === undefined ? await createScratchPostgres() : undefined;
  const prefix = uniqueRedisPrefix();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.url,
    SLACK_API_RETRIES: '0',
    // Many sessions share one test workspace; the budget itself is tested in thread-writer.test.ts.
    SLACK_CARD_UPDATES_PER_MINUTE: '6000',
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_API_RETRIES: '0',
    CURSOR_API_URL: cursor.url,
    WEBHOOK_BACKOFF_MS: '20',
    WEBHOOK_ATTEMPTS: '3',
    JOB_BACKOFF_MS: '20',
    REDIS_URL: testRedisUrl,
    BATON_REDIS_PREFIX: prefix,
    BATON_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const log = createLogger(config.logLevel, logDestination);
  const baton = await startBaton(config, log, clock);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: MEMORY_DATA_DIR });
  const harness: Harness = {
    baton,
    config,
    slack,
    anthropic,
    cursor,
    db,
    anthropicClient: () => new Anthropic({ apiKey: ANTHROPIC_KEY, baseURL: anthropic.url, maxRetries: 0 }),
    // Restarts keep the port, so the sender's address stays right.
    send: createSlackSender({
      baseUrl: `http://127.0.0.1:${baton.port}`,
      signingSecret: SIGNING_SECRET,
      responseOrigin: slack.origin,
    }),
    async restart() {
      await harness.baton.stop();
      harness.baton = await startBaton({ ...config, port: harness.baton.port ?? 0 }, log, clock);
    },
    async stop() {
      await harness.baton.stop();
      await db.close();
      await slack.close();
      await anthropic.close();
      await cursor.close();
      await database?.drop();
      await deleteRedisPrefix(prefix);
    },
  };
  return harness;
}
