import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api';
import { deleteRedisPrefix, testRedisUrl, uniqueRedisPrefix } from '../support/redis';
import { appMention, createSlackSender } from '../support/slack-requests';

const root = path.resolve(__dirname, '../..');

/** Runs src/main.ts the way `npm start` runs the build: a separate Node process reading only its environment. */
function runBaton(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
}

function collect(child: ChildProcessWithoutNullStreams) {
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { out, exited };
}

async function waitForLog(
  out: { stdout: string },
  event: string,
  timeoutMs = 20_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = out.stdout.split('\n').find((l) => l.includes(`"event":"${event}"`));
    if (line) return JSON.parse(line) as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${event} log line; stdout so far:\n${out.stdout}`);
}

describe('the Baton process', () => {
  it('stops at start-up with one line naming a missing variable, without a stack trace', async () => {
    const { out, exited } = collect(runBaton({ SLACK_BOT_TOKEN: 'xoxb-1' }));
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
      const child = runBaton({
        PORT: '0',
        DATA_DIR: dataDir,
        REDIS_URL: testRedisUrl,
        BATON_REDIS_PREFIX: prefix,
        SLACK_SIGNING_SECRET: 'process-secret',
        SLACK_BOT_TOKEN: 'xoxb-process',
        SLACK_API_URL: slack.url,
        SLACK_API_RETRIES: '0',
      });
      const { out, exited } = collect(child);
      try {
        const started = await waitForLog(out, 'web.started');
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
