import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { App } from '@slack/bolt';
import { startBaton } from '../src/baton';
import { boundHeapGrowth } from '../src/ops/heap';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { startFakeSlack } from '../tests/fakes/slack-api';
import { SLACK_DEFAULTS } from '../tests/fakes/slack/ids';
import { BOT_TOKEN, SIGNING_SECRET } from './requests';
import type { ChildMessage, ChildSettings, ParentMessage, Role } from './processes';

// Entry point of one bench process (see processes.ts): `child.ts <role> <settings JSON>`.

interface Running {
  url: string;
  origin?: string;
  reset?: () => void;
  stop(): Promise<void>;
}

const need = (value: string | undefined, name: string): string => {
  if (!value) throw new Error(`bench child: ${name} is missing`);
  return value;
};

// Many workspaces: Baton reads each team's bot token from the installations the sessions bench seeds.
const OAUTH_ENV = {
  SLACK_CLIENT_ID: 'bench-client-id',
  SLACK_CLIENT_SECRET: 'bench-client-secret',
  SLACK_STATE_SECRET: 'bench-state-secret',
};

/**
 * Baton started the way tests/support/harness.ts (and so `npm start`) starts it, with its heap's growth bound as
 * `src/main.ts` bounds it, and Slack's and Anthropic's retries as in production (the fake Slack counts every call,
 * retries included).
 */
async function startBatonTarget(settings: ChildSettings): Promise<Running> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: process.env.BENCH_BATON_LOG_LEVEL ?? 'silent',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    ...(settings.isOAuth ? OAUTH_ENV : { SLACK_BOT_TOKEN: BOT_TOKEN }),
    SLACK_API_URL: need(settings.slackApiUrl, 'slackApiUrl'),
    REDIS_URL: need(settings.redisUrl, 'redisUrl'),
    BATON_REDIS_PREFIX: need(settings.redisPrefix, 'redisPrefix'),
    BATON_ENCRYPTION_KEY: settings.encryptionKey ?? randomBytes(32).toString('base64'),
    ...(settings.databaseUrl
      ? { DATABASE_URL: settings.databaseUrl }
      : { DATA_DIR: need(settings.dataDir, 'dataDir') }),
    BATON_ROLE: settings.batonRole ?? 'all',
    ...(settings.anthropicUrl ? { ANTHROPIC_BASE_URL: settings.anthropicUrl } : {}),
    ...(settings.sessionConcurrency ? { SESSION_CONCURRENCY: String(settings.sessionConcurrency) } : {}),
  });
  boundHeapGrowth(config.role);
  const baton = await startBaton(config, createLogger(config.logLevel));
  const url = baton.port === undefined ? '' : `http://127.0.0.1:${baton.port}`;
  return { url, stop: () => baton.stop() };
}

/** The smallest Bolt app that answers the same two requests: same receiver, no middleware, no work. */
async function startBareTarget(settings: ChildSettings): Promise<Running> {
  const app = new App({
    token: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    botId: SLACK_DEFAULTS.botId,
    botUserId: SLACK_DEFAULTS.botUserId,
    clientOptions: { slackApiUrl: need(settings.slackApiUrl, 'slackApiUrl') },
  });
  app.command('/baton', async ({ ack }) => {
    await ack();
  });
  app.event('app_mention', async () => undefined);
  const server = (await app.start(0)) as Server;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => void (await app.stop()),
  };
}

async function startFakeSlackServer(): Promise<Running> {
  const fake = await startFakeSlack();
  // reset() also forgets recorded calls and messages, so the fake stays fast over thousands of replies.
  return { url: fake.url, origin: fake.origin, reset: () => fake.reset(), stop: () => fake.close() };
}

const starters: Record<Role, (settings: ChildSettings) => Promise<Running>> = {
  baton: startBatonTarget,
  bare: startBareTarget,
  'fake-slack': startFakeSlackServer,
};

async function main(): Promise<void> {
  const [role, settingsJson = '{}'] = process.argv.slice(2) as [Role, string?];
  const send = (message: ChildMessage) => process.send?.(message);
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const running = await starters[role](JSON.parse(settingsJson) as ChildSettings);

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'sample') {
      const cpu = process.cpuUsage();
      send({
        type: 'sample',
        cpuUs: cpu.user + cpu.system,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
      });
      loopDelay.reset();
    } else if (message.type === 'reset') {
      running.reset?.();
      send({ type: 'reset' });
    } else {
      loopDelay.disable();
      // Nothing forces the exit: a handle left open by stop() would keep this process alive, and the parent says so.
      void running.stop().then(() => process.disconnect());
    }
  });
  send({ type: 'ready', url: running.url, origin: running.origin });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
