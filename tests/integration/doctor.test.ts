import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { runDoctor } from '../../src/doctor';
import { startFakeGitHub } from '../fakes/github';
import { BOT_SCOPES } from '../../src/adapters/slack/scopes';
import { startFakeSlack } from '../fakes/slack-api';
import { createScratchPostgres } from '../support/databases';
import { ANTHROPIC_KEY, BOT_TOKEN, SIGNING_SECRET, startHarness, type Harness } from '../support/harness';
import { testRedisUrl } from '../support/redis';
import { botsQuery } from './bots-helpers';

let h: Harness;
let healthy: Record<string, string>;
beforeAll(async () => {
  h = await startHarness();
  await botsQuery(h).addKeys([['doctor-key', ANTHROPIC_KEY]]);
  healthy = {
    NODE_ENV: 'test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: h.slack.url,
    ANTHROPIC_BASE_URL: h.anthropic.url,
    REDIS_URL: testRedisUrl,
    DATABASE_URL: h.config.databaseUrl!,
    BATON_ENCRYPTION_KEY: h.config.encryptionKey!,
    PUBLIC_URL: `http://127.0.0.1:${h.baton.port}`,
  };
});
afterAll(() => h.stop());

async function doctor(env: Record<string, string>): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runDoctor(env, (line) => lines.push(line));
  return { code, lines };
}

const failed = (lines: string[]) => lines.filter((l) => l.startsWith('FAIL'));

describe('baton doctor', () => {
  it('passes a healthy setup, one line per check', async () => {
    const { code, lines } = await doctor(healthy);
    expect(failed(lines)).toEqual([]);
    expect(code).toBe(0);
    for (const check of [
      'Configuration',
      'Encryption key',
      'Redis',
      'Database',
      'Migrations',
      'Slack bot token',
      'Slack bot token scopes',
      'Slack events URL',
      'Anthropic key "doctor-key" (T0001)',
      'PUBLIC_URL',
    ]) {
      expect(lines.find((l) => l.includes(`${check}:`))).toMatch(/^ok/);
    }
  });

  it('names a configuration problem and stops there', async () => {
    const { code, lines } = await doctor({ ...healthy, SLACK_BOT_TOKEN: '' });
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^FAIL {2}Configuration: SLACK_BOT_TOKEN is missing/)]);
  });

  it('names an unreachable Redis and an unreachable database', async () => {
    const { code, lines } = await doctor({
      ...healthy,
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    });
    expect(code).toBe(1);
    expect(failed(lines)).toEqual([
      expect.stringMatching(/^FAIL {2}Redis: redis:\/\/127\.0\.0\.1:1 unreachable .* → start Redis or fix REDIS_URL/),
      expect.stringMatching(/^FAIL {2}Database: cannot connect .* → start PostgreSQL or fix DATABASE_URL/),
    ]);
  });

  it('names migrations the database has not applied', async () => {
    const empty = await createScratchPostgres();
    try {
      const { code, lines } = await doctor({ ...healthy, DATABASE_URL: empty.url });
      expect(code).toBe(1);
      expect(failed(lines)).toEqual([expect.stringMatching(/^FAIL {2}Migrations: \d+ not applied \(0000_/)]);
    } finally {
      await empty.drop();
    }
  });

  it('names a bot token Slack rejects', async () => {
    h.slack.failNext('auth.test', { error: 'invalid_auth' });
    const { code, lines } = await doctor(healthy);
    expect(code).toBe(1);
    expect(failed(lines)).toEqual([
      expect.stringMatching(
        /^FAIL {2}Slack bot token: auth\.test failed \(invalid_auth\) → copy the Bot User OAuth Token/,
      ),
    ]);
  });

  it('names scopes the manifest asks for that the token lacks', async () => {
    const narrow = await startFakeSlack({ scopes: BOT_SCOPES.filter((s) => s !== 'reactions:write') });
    try {
      const { lines } = await doctor({ ...healthy, SLACK_API_URL: narrow.url });
      expect(failed(lines)).toEqual([
        expect.stringMatching(/^FAIL {2}Slack bot token scopes: missing reactions:write → add them from manifest\.yml/),
      ]);
    } finally {
      await narrow.close();
    }
  });

  it('names an events URL and a PUBLIC_URL that are not Baton', async () => {
    const { lines } = await doctor({ ...healthy, PUBLIC_URL: h.slack.origin });
    expect(failed(lines)).toEqual([
      expect.stringMatching(/^FAIL {2}Slack events URL: .*\/slack\/events answered 404/),
      expect.stringMatching(/^FAIL {2}PUBLIC_URL: .*\/healthz answered 404/),
    ]);
  });

  it('names a saved Anthropic key that no longer works', async () => {
    await botsQuery(h).addKeys([['revoked-key', 'sk-ant-api03-test0revoked00000000000zZ9']]);
    const { code, lines } = await doctor(healthy);
    expect(code).toBe(1);
    expect(failed(lines)).toEqual([
      expect.stringMatching(/^FAIL {2}Anthropic key "revoked-key" \(T0001\): .* → open the bot/),
    ]);
  });

  it('checks the GitHub App where configured, and names a private key GitHub rejects', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = (key: KeyObject) => key.export({ type: 'pkcs1', format: 'pem' }).toString();
    const github = await startFakeGitHub({
      appId: '4242',
      slug: 'baton-test',
      publicKey: createPublicKey(privateKey),
      webhookSecret: 'test-github-webhook-secret',
    });
    const env = {
      ...healthy,
      GITHUB_APP_ID: '4242',
      GITHUB_APP_PRIVATE_KEY: pem(privateKey),
      GITHUB_APP_SLUG: 'baton-test',
      GITHUB_WEBHOOK_SECRET: 'test-github-webhook-secret',
      GITHUB_API_URL: github.url,
    };
    try {
      const good = await doctor(env);
      expect(good.lines.find((l) => l.includes('GitHub App:'))).toMatch(/^ok {4}GitHub App: app baton-test/);
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const bad = await doctor({ ...env, GITHUB_APP_PRIVATE_KEY: pem(other) });
      // (The revoked Anthropic key of the test before still fails too; only GitHub's line matters here.)
      expect(failed(bad.lines).filter((l) => l.includes('GitHub'))).toEqual([
        expect.stringMatching(/^FAIL {2}GitHub App: .* → check GITHUB_APP_ID/),
      ]);
    } finally {
      await github.close();
    }
  });

  it('checks the app token instead of the events URL over Socket Mode', async () => {
    const { lines } = await doctor({ ...healthy, SLACK_APP_TOKEN: 'xapp-1-test' });
    expect(lines.find((l) => l.includes('Slack events (Socket Mode):'))).toMatch(/^ok/);
    expect(lines.some((l) => l.includes('Slack events URL'))).toBe(false);
  });
});
