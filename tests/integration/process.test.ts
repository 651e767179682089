import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api';
import { runBaton } from '../support/child-baton';
import { deleteRedisPrefix, testRedisUrl, uniqueRedisPrefix } from '../support/redis';
import { appMention, createSlackSender } from '../support/slack-requests';

describe('the Baton process', () => {
  it('stops at start-up with one line naming a missing variable, without a stack trace', async () => {
    const { out, exited } = runBaton({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(await exited).toBe(1);
    expect(out.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Config error: SLACK_SIGNING_SECRET is missing\./),
    ]);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  describe('on embedded PGlite with a generated development key', () => {
    let slack: FakeSlack;
    let dataDir: string;
    const prefix = uniqueRedisPrefix();

    beforeAll(async () => {
      slack = await startFakeSlack();
      dataDir = mkdtempSync(path.join(tmpdir(), 'baton-data-'));
    });
    afterAll(async () => {
      await slack.close();
      rmSync(dataDir, { recursive: true, force: true });
      await deleteRedisPrefix(prefix);
    });

    it('serves Slack, answers ping through the worker, and drains on SIGTERM', async () => {
      const baton = runBaton({
        PORT: '0',
        DATA_DIR: dataDir,
        REDIS_URL: testRedisUrl,
        BATON_REDIS_PREFIX: prefix,
        SLACK_SIGNING_SECRET: 'process-secret',
        SLACK_BOT_TOKEN: 'xoxb-process',
        SLACK_API_URL: slack.url,
        SLACK_API_RETRIES: '0',
      });
      const { child, out, exited } = baton;
      try {
        const started = await baton.waitForLog('web.started');
        expect(existsSync(path.join(dataDir, 'encryption.key'))).toBe(true);
        expect(out.stdout).toContain('"event":"config.encryption_key.generated"');

        const baseUrl = `http://127.0.0.1:${String(started.port)}`;
        expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
        const send = createSlackSender({ baseUrl, signingSecret: 'process-secret' });
        await send.event(appMention({ text: '<@UBATON> ping', ts: '1700000001.000100' }));
        expect((await slack.waitFor('chat.postMessage')).args).toMatchObject({ text: 'pong' });

        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(out.stdout).toContain('"event":"baton.stopped"');
      } finally {
        child.kill('SIGKILL');
      }
    });
  });
});
