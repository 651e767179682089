import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { Redis } from 'ioredis';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { SlackThreadWriter, type SlackThreadWriterOptions } from '../../src/adapters/slack/writer/slack-thread-writer';
import type { ThreadPostLog } from '../../src/adapters/slack/writer/thread-poster';
import { createLogger } from '../../src/log';
import type { SlackClients } from '../../src/ports/slack-clients';
import type { CardContent, Persona } from '../../src/ports/session-chat';
import { startFakeSlack, type FakeSlack, type SlackCall } from '../fakes/slack-api';
import { SLACK_DEFAULTS } from '../fakes/slack/ids';
import { deleteRedisPrefix, testRedisUrl, uniqueRedisPrefix } from '../support/redis';

const TEAM = { teamId: SLACK_DEFAULTS.teamId };
const CHANNEL = SLACK_DEFAULTS.channelId;
const TOKEN = 'xoxb-writer-test-token';
const PERSONA: Persona = { username: 'Claude (Baton)', iconEmoji: ':robot_face:' };
const card = (text: string): CardContent => ({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });

/** ThreadPostLog with SessionRepository's semantics: a claim is a row, a recorded ts makes it "posted". */
class MemoryPostLog implements ThreadPostLog {
  readonly rows = new Map<string, string | null>();
  async claimPost(sessionId: string, postKey: string): Promise<boolean> {
    const key = `${sessionId} ${postKey}`;
    if (this.rows.has(key)) return false;
    this.rows.set(key, null);
    return true;
  }
  async recordPost(sessionId: string, postKey: string, ts: string): Promise<void> {
    const key = `${sessionId} ${postKey}`;
    if (this.rows.has(key)) this.rows.set(key, ts);
  }
  async postedKeys(sessionId: string): Promise<Set<string>> {
    const keys = [...this.rows].filter(([key, ts]) => ts !== null && key.startsWith(`${sessionId} `));
    return new Set(keys.map(([key]) => key.slice(sessionId.length + 1)));
  }
  async postTs(sessionId: string, postKey: string): Promise<string | undefined> {
    return this.rows.get(`${sessionId} ${postKey}`) ?? undefined;
  }
  ts(sessionId: string, postKey: string): string | null | undefined {
    return this.rows.get(`${sessionId} ${postKey}`);
  }
}

const textOf = (call: SlackCall): string => String(call.args.text);

/** The most calls in any window of `windowMs`, by the time the fake received them. */
function busiestWindow(calls: SlackCall[], windowMs: number): number {
  const times = calls.map((c) => c.at).sort((a, b) => a - b);
  return Math.max(0, ...times.map((start, i) => times.filter((t, j) => j >= i && t < start + windowMs).length));
}

describe('SlackThreadWriter against the fake Slack and real Redis', () => {
  let fake: FakeSlack;
  let prefix: string;
  let threadTs: string;
  let logLines: string[];
  const redisClients: Redis[] = [];
  const writers: SlackThreadWriter[] = [];

  async function connectRedis(): Promise<Redis> {
    const redis = new Redis(testRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    redisClients.push(redis);
    return redis;
  }

  function clients(options: WebClientOptions = {}): SlackClients {
    const client = new WebClient(TOKEN, {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
      ...options,
    });
    return { forTeam: async () => client };
  }

  async function makeWriter(options: Partial<SlackThreadWriterOptions> = {}): Promise<SlackThreadWriter> {
    const log = createLogger(
      'debug',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString());
          done();
        },
      }),
    );
    const writer = new SlackThreadWriter({
      slack: options.slack ?? clients(),
      redis: options.redis ?? (await connectRedis()),
      prefix,
      posts: new MemoryPostLog(),
      log,
      cardsPerMinute: 6_000,
      ...options,
    });
    writers.push(writer);
    return writer;
  }

  async function postCards(writer: SlackThreadWriter, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `ses_${i}_${Math.random().toString(36).slice(2)}`);
    return Promise.all(ids.map((id) => writer.postCard(TEAM, id, CHANNEL, threadTs, PERSONA, card(`${id} starting`))));
  }

  const updatesTo = (ts: string) => fake.callsTo('chat.update').filter((c) => c.args.ts === ts);
  const shownText = (ts: string) => fake.messages(CHANNEL).find((m) => m.ts === ts)?.text;

  beforeEach(async () => {
    fake = await startFakeSlack();
    prefix = uniqueRedisPrefix();
    threadTs = fake.seedMessage({ text: '@baton please fix the flaky test' }).ts;
    logLines = [];
  });

  afterEach(async () => {
    await Promise.all(writers.splice(0).map((w) => w.close()));
    redisClients.splice(0).forEach((r) => r.disconnect());
    await fake.close();
    await deleteRedisPrefix(prefix);
  });

  describe('the card', () => {
    it('is posted once per session in the thread, with the persona name and icon', async () => {
      const writer = await makeWriter();
      const first = await writer.postCard(TEAM, 'ses_1', CHANNEL, threadTs, PERSONA, card('Working…'));
      const second = await writer.postCard(TEAM, 'ses_1', CHANNEL, threadTs, PERSONA, card('Working…'));

      expect(second).toBe(first);
      const [post, ...others] = fake.callsTo('chat.postMessage');
      expect(others).toEqual([]);
      expect(post?.args).toMatchObject({
        channel: CHANNEL,
        thread_ts: threadTs,
        username: 'Claude (Baton)',
        icon_emoji: ':robot_face:',
        text: 'Working…',
      });
      expect(post?.args.icon_url).toBeUndefined();
    });

    it('is posted again when an earlier run claimed it but died before recording its ts', async () => {
      const posts = new MemoryPostLog();
      await posts.claimPost('ses_1', 'card');
      const writer = await makeWriter({ posts });
      const iconUrl = 'https://example.com/bot.png';

      const ts = await writer.postCard(TEAM, 'ses_1', CHANNEL, threadTs, { username: 'Bot', iconUrl }, card('Hi'));

      expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
      expect(fake.callsTo('chat.postMessage')[0]?.args).toMatchObject({ username: 'Bot', icon_url: iconUrl });
      expect(posts.ts('ses_1', 'card')).toBe(ts);
      expect(await writer.postCard(TEAM, 'ses_1', CHANNEL, threadTs, PERSONA, card('Hi'))).toBe(ts);
    });
  });

  describe('card updates', () => {
    it('coalesce 20 rapid updates into a few calls that end with the final state', async () => {
      const writer = await makeWriter();
      const [ts] = (await postCards(writer, 1)) as [string];

      for (let i = 1; i <= 20; i++) await writer.updateCard(TEAM, CHANNEL, ts, card(`step ${i}`), i === 20);
      await writer.flush();

      const calls = updatesTo(ts);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.length).toBeLessThanOrEqual(3);
      expect(textOf(calls.at(-1) as SlackCall)).toBe('step 20');
      expect(shownText(ts)).toBe('step 20');
    });

    it('share a tight budget between busy cards so that neither starves', async () => {
      const writer = await makeWriter({ cardsPerMinute: 10, windowMs: 1_000, burst: 1 });
      const [a, b] = (await postCards(writer, 2)) as [string, string];

      // Long enough (about 2.5 s) for several updates of each card under the one-update-per-card-per-second floor.
      for (let i = 0; i < 250; i++) {
        await writer.updateCard(TEAM, CHANNEL, a, card(`a ${i}`), false);
        await writer.updateCard(TEAM, CHANNEL, b, card(`b ${i}`), false);
        await sleep(10);
      }
      await writer.updateCard(TEAM, CHANNEL, a, card('a done'), true);
      await writer.updateCard(TEAM, CHANNEL, b, card('b done'), true);
      await writer.flush();

      const order = fake.callsTo('chat.update').map((c) => c.args.ts);
      expect(order.length).toBeGreaterThan(4);
      expect(Math.abs(updatesTo(a).length - updatesTo(b).length)).toBeLessThanOrEqual(1);
      expect(order.slice(0, -2).every((ts, i) => ts !== order[i + 1])).toBe(true);
      expect([shownText(a), shownText(b)]).toEqual(['a done', 'b done']);
    });

    it('reach a quiet card soon even while another card updates nonstop', async () => {
      const writer = await makeWriter({ cardsPerMinute: 10, windowMs: 1_000, burst: 1 });
      const [busy, quiet] = (await postCards(writer, 2)) as [string, string];
      const hammering = (async () => {
        for (let i = 0; i < 60; i++) {
          await writer.updateCard(TEAM, CHANNEL, busy, card(`busy ${i}`), false);
          await sleep(10);
        }
      })();
      await sleep(250);
      const askedAt = fake.callsTo('chat.update').length;
      await writer.updateCard(TEAM, CHANNEL, quiet, card('quiet update'), false);
      await hammering;
      await writer.flush();

      const order = fake.callsTo('chat.update').map((c) => c.args.ts);
      expect(order.indexOf(quiet)).toBeGreaterThanOrEqual(askedAt);
      expect(order.indexOf(quiet)).toBeLessThanOrEqual(askedAt + 1);
    });

    it('send final states before other pending states', async () => {
      const writer = await makeWriter({ cardsPerMinute: 10, windowMs: 3_000, burst: 1 });
      const [a, b, c, d] = (await postCards(writer, 4)) as [string, string, string, string];

      await writer.updateCard(TEAM, CHANNEL, a, card('a 1'), false);
      await fake.waitFor('chat.update');
      await writer.updateCard(TEAM, CHANNEL, b, card('b 1'), false);
      await writer.updateCard(TEAM, CHANNEL, c, card('c 1'), false);
      await writer.updateCard(TEAM, CHANNEL, d, card('d done'), true);
      await writer.flush();

      expect(fake.callsTo('chat.update').map((call) => call.args.ts)).toEqual([a, d, b, c]);
    });

    it.each([
      ['a client that waits out Retry-After itself', {}],
      ['a client with rejectRateLimitedCalls', { rejectRateLimitedCalls: true }],
    ])('honour a 429 Retry-After and still deliver the final state (%s)', async (_name, clientOptions) => {
      const writer = await makeWriter({ slack: clients(clientOptions) });
      const [a, b] = (await postCards(writer, 2)) as [string, string];
      fake.failNext('chat.update', { status: 429, retryAfterSec: 1 });

      await writer.updateCard(TEAM, CHANNEL, a, card('a working'), false);
      const limited = await fake.waitFor('chat.update');
      await writer.updateCard(TEAM, CHANNEL, a, card('a done'), true);
      await writer.updateCard(TEAM, CHANNEL, b, card('b working'), false);
      await writer.flush();

      const after = fake.callsTo('chat.update').slice(1);
      expect(limited.status).toBe(429);
      expect(after.map((call) => call.args.ts)).toEqual([a, b]);
      expect(after.every((call) => call.ok && call.at - limited.at >= 1_000)).toBe(true);
      expect(textOf(after[0] as SlackCall)).toBe('a done');
      expect(shownText(a)).toBe('a done');
    });

    it('pause the workspace for every writer sharing Redis after a 429', async () => {
      const first = await makeWriter({ slack: clients({ rejectRateLimitedCalls: true }) });
      const second = await makeWriter({ slack: clients({ rejectRateLimitedCalls: true }) });
      const [a] = (await postCards(first, 1)) as [string];
      const [b] = (await postCards(second, 1)) as [string];
      fake.failNext('chat.update', { status: 429, retryAfterSec: 1 });

      await first.updateCard(TEAM, CHANNEL, a, card('a done'), true);
      const limited = await fake.waitFor('chat.update');
      await sleep(50);
      await second.updateCard(TEAM, CHANNEL, b, card('b done'), true);
      await Promise.all([first.flush(), second.flush()]);

      const after = fake.callsTo('chat.update').slice(1);
      expect(after).toHaveLength(2);
      expect(after.every((call) => call.ok && call.at - limited.at >= 1_000)).toBe(true);
    });

    it('stay within the budget together when two writers share Redis', async () => {
      const budget = { cardsPerMinute: 10, windowMs: 2_000, burst: 2 };
      const first = await makeWriter(budget);
      const second = await makeWriter(budget);
      const firstCards = await postCards(first, 2);
      const secondCards = await postCards(second, 2);

      const startedAt = Date.now();
      for (let i = 0; Date.now() - startedAt < 3_000; i++) {
        for (const ts of firstCards) await first.updateCard(TEAM, CHANNEL, ts, card(`${ts} ${i}`), false);
        for (const ts of secondCards) await second.updateCard(TEAM, CHANNEL, ts, card(`${ts} ${i}`), false);
        await sleep(20);
      }
      for (const ts of firstCards) await first.updateCard(TEAM, CHANNEL, ts, card(`${ts} done`), true);
      for (const ts of secondCards) await second.updateCard(TEAM, CHANNEL, ts, card(`${ts} done`), true);
      await Promise.all([first.flush(), second.flush()]);

      const calls = fake.callsTo('chat.update');
      const elapsedMs = (calls.at(-1)?.at ?? 0) - (calls[0]?.at ?? 0);
      expect(calls.every((call) => call.ok)).toBe(true);
      expect(busiestWindow(calls, budget.windowMs)).toBeLessThanOrEqual(10);
      // A burst of 2, then 8 per 2 s: one writer alone would already use most of it.
      expect(calls.length).toBeLessThanOrEqual(2 + Math.ceil((elapsedMs / 2_000) * 8) + 1);
      for (const ts of [...firstCards, ...secondCards]) expect(shownText(ts)).toBe(`${ts} done`);
      expect(updatesTo(firstCards[0] as string).length).toBeGreaterThan(1);
      expect(updatesTo(secondCards[0] as string).length).toBeGreaterThan(1);
    });

    it('on close, still deliver final states but drop the rest', async () => {
      const writer = await makeWriter({ cardsPerMinute: 10, windowMs: 2_000, burst: 1 });
      const [a, b, c] = (await postCards(writer, 3)) as [string, string, string];

      await writer.updateCard(TEAM, CHANNEL, a, card('a 1'), false);
      await fake.waitFor('chat.update');
      await writer.updateCard(TEAM, CHANNEL, b, card('b 1'), false);
      await writer.updateCard(TEAM, CHANNEL, c, card('c done'), true);
      await writer.close();
      await writer.updateCard(TEAM, CHANNEL, b, card('b late'), true);
      await sleep(300);

      expect(fake.callsTo('chat.update').map((call) => call.args.ts)).toEqual([a, c]);
      expect(shownText(c)).toBe('c done');
    });
  });

  describe('thread posts', () => {
    it('post once per key, however often they are asked for', async () => {
      const posts = new MemoryPostLog();
      const writer = await makeWriter({ posts });

      await writer.post(TEAM, 'ses_1', 'answer-1', CHANNEL, threadTs, PERSONA, 'Here is what I found.');
      await writer.post(TEAM, 'ses_1', 'answer-1', CHANNEL, threadTs, PERSONA, 'Here is what I found.');

      const calls = fake.callsTo('chat.postMessage');
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args).toMatchObject({ thread_ts: threadTs, text: 'Here is what I found.' });
      expect(posts.ts('ses_1', 'answer-1')).toBe(calls[0]?.response && (calls[0].response as { ts: string }).ts);
    });

    it('split long text into replies Slack accepts, each under its own key', async () => {
      const posts = new MemoryPostLog();
      const writer = await makeWriter({ posts, fileAboveChars: 40_000 });
      const paragraphs = Array.from({ length: 60 }, (_, i) => `${i}: ${'All tests pass now. '.repeat(24)}`.trim());
      const text = paragraphs.join('\n\n').slice(0, 30_000);

      await writer.post(TEAM, 'ses_1', 'answer', CHANNEL, threadTs, PERSONA, text);

      const calls = fake.callsTo('chat.postMessage');
      expect(calls.length).toBeGreaterThanOrEqual(9);
      expect(calls.every((call) => call.ok && textOf(call).length <= 4_000)).toBe(true);
      expect(calls.map(textOf).join('\n\n')).toBe(text);
      calls.forEach((_call, i) => expect(posts.ts('ses_1', `answer#${i}`)).toEqual(expect.any(String)));
    });

    it('post only the missing parts when a run resumes a split reply', async () => {
      const posts = new MemoryPostLog();
      await posts.claimPost('ses_1', 'answer');
      await posts.claimPost('ses_1', 'answer#0');
      await posts.recordPost('ses_1', 'answer#0', '1.000001');
      const writer = await makeWriter({ posts });
      const text = ['first part', 'second part', 'third part'].map((p) => `${p} ${'z'.repeat(3_000)}`).join('\n\n');

      await writer.post(TEAM, 'ses_1', 'answer', CHANNEL, threadTs, PERSONA, text);

      expect(fake.callsTo('chat.postMessage').map((call) => textOf(call).split(' ')[0])).toEqual(['second', 'third']);
    });

    it.each([13_000, 60_000])('upload a %i-character text as answer.md with a short reply', async (length) => {
      const posts = new MemoryPostLog();
      const writer = await makeWriter({ posts });
      const text = `Summary line\n\n${'Details of the change. '.repeat(length / 20)}`.slice(0, length);

      await writer.post(TEAM, 'ses_1', 'answer', CHANNEL, threadTs, PERSONA, text);

      expect(fake.callsTo('chat.postMessage')).toEqual([]);
      const [complete] = fake.callsTo('files.completeUploadExternal');
      expect(complete?.ok).toBe(true);
      expect(complete?.args).toMatchObject({ channel_id: CHANNEL, thread_ts: threadTs });
      expect(String(complete?.args.initial_comment).length).toBeLessThan(1_200);
      expect(fake.callsTo('files.getUploadURLExternal')[0]?.args.filename).toBe('answer.md');
      expect(fake.callsTo('upload_url')[0]?.args.content).toBe(text);
      expect(posts.ts('ses_1', 'answer')).toEqual(expect.any(String));
    });

    it('wait out a 429 on a reply and post it once', async () => {
      const writer = await makeWriter({ slack: clients({ rejectRateLimitedCalls: true }) });
      fake.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });

      await writer.post(TEAM, 'ses_1', 'answer', CHANNEL, threadTs, PERSONA, 'Done.');

      const [limited, posted, ...rest] = fake.callsTo('chat.postMessage');
      expect(rest).toEqual([]);
      expect(limited?.status).toBe(429);
      expect(posted?.ok).toBe(true);
      expect((posted?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    });
  });

  it('never logs message text or tokens', async () => {
    const writer = await makeWriter({ slack: clients({ rejectRateLimitedCalls: true }) });
    const [ts] = (await postCards(writer, 1)) as [string];
    fake.failNext('chat.update', { status: 429, retryAfterSec: 1 });
    fake.failNext('chat.postMessage', { error: 'msg_too_long' });

    await writer.updateCard(TEAM, CHANNEL, ts, card('SECRET-CARD-TEXT'), true);
    await expect(
      writer.post(TEAM, 'ses_x', 'k', CHANNEL, threadTs, PERSONA, 'SECRET-REPLY-TEXT'),
    ).rejects.toMatchObject({ name: 'ThreadWriteError', slackError: 'msg_too_long' });
    await writer.post(TEAM, 'ses_y', 'k', CHANNEL, threadTs, PERSONA, `SECRET-LONG ${'y'.repeat(20_000)}`);
    await writer.flush();

    const logs = logLines.join('');
    expect(logs).toContain('slack.writer.card.rate_limited');
    expect(logs).not.toMatch(/SECRET|xoxb-/);
  });
});
