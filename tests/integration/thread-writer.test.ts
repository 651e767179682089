import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { Redis } from 'ioredis';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { webClientOptions } from '../../src/adapters/slack/web-client';
import { BudgetedCalls } from '../../src/adapters/slack/writer/budgeted-calls';
import { SlackBudgets, slackUpdateBudget } from '../../src/adapters/slack/writer/redis-budget';
import { SlackThreadWriter, type SlackThreadWriterOptions } from '../../src/adapters/slack/writer/slack-thread-writer';
import type { ThreadPostLog } from '../../src/adapters/slack/writer/thread-poster';
import { createLogger } from '../../src/log';
import { Foreground } from '../../src/ops/foreground';
import type { SlackClients, TeamRef } from '../../src/ports/slack-clients';
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
  /** Set to fail every record, like a worker that dies once Slack has the post but before its ts is stored. */
  isDying = false;
  async claimPost(sessionId: string, postKey: string): Promise<boolean> {
    const key = `${sessionId} ${postKey}`;
    if (this.rows.has(key)) return false;
    this.rows.set(key, null);
    return true;
  }
  async recordPost(sessionId: string, postKey: string, ts: string): Promise<void> {
    if (this.isDying) throw new Error('the worker died');
    const key = `${sessionId} ${postKey}`;
    if (this.rows.has(key)) this.rows.set(key, ts);
  }
  async recordPosts(sessionId: string, posts: ReadonlyArray<{ postKey: string; ts: string }>): Promise<void> {
    if (this.isDying) throw new Error('the worker died');
    for (const { postKey, ts } of posts) this.rows.set(`${sessionId} ${postKey}`, ts);
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

  /** Where the card of `sessionId` goes: the test's thread unless `thread` says otherwise. */
  const place = (sessionId: string, thread = threadTs, team: TeamRef = TEAM) => ({
    team,
    sessionId,
    channel: CHANNEL,
    threadTs: thread,
  });

  async function postCards(writer: SlackThreadWriter, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `ses_${i}_${Math.random().toString(36).slice(2)}`);
    return Promise.all(ids.map((id) => writer.postCard(place(id), PERSONA, card(`${id} starting`))));
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
      const first = await writer.postCard(place('ses_1'), PERSONA, card('Working…'));
      const second = await writer.postCard(place('ses_1'), PERSONA, card('Working…'));

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

      const ts = await writer.postCard(place('ses_1'), { username: 'Bot', iconUrl }, card('Hi'));

      expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
      expect(fake.callsTo('chat.postMessage')[0]?.args).toMatchObject({ username: 'Bot', icon_url: iconUrl });
      expect(posts.ts('ses_1', 'card')).toBe(ts);
      expect(await writer.postCard(place('ses_1'), PERSONA, card('Hi'))).toBe(ts);
    });

    it('is found in the thread, not posted again, when an earlier run posted it but died before recording its ts', async () => {
      const posts = new MemoryPostLog();
      const writer = await makeWriter({ posts });
      posts.isDying = true;
      await expect(writer.postCard(place('ses_1'), PERSONA, card('Hi'))).rejects.toThrow('died');
      posts.isDying = false;

      const ts = await writer.postCard(place('ses_1'), PERSONA, card('Hi'));

      const [post, ...others] = fake.callsTo('chat.postMessage');
      expect(others).toEqual([]);
      expect(ts).toBe((post?.response as { ts: string }).ts);
      expect(posts.ts('ses_1', 'card')).toBe(ts);
    });
  });

  describe('cards in a busy channel', () => {
    it('of mentions with no sign yet go before a card whose mention already has 👀', async () => {
      const writer = await makeWriter();
      const heardTs = fake.seedMessage({ text: '@baton first' }).ts;
      const unheardTs = fake.seedMessage({ text: '@baton second' }).ts;
      expect(await writer.acknowledge(TEAM, CHANNEL, heardTs)).toBe(true);
      // The channel's burst of posts is spent; the next one goes in about a second.
      await postCards(writer, 4);
      const heard = writer.postCard(place('ses_heard', heardTs), PERSONA, card('heard'), heardTs);
      await sleep(100);
      const unheard = writer.postCard(place('ses_unheard', unheardTs), PERSONA, card('unheard'), unheardTs);
      await Promise.all([heard, unheard]);

      const cards = fake.callsTo('chat.postMessage').slice(4);
      expect(cards.map((call) => call.args.thread_ts)).toEqual([unheardTs, heardTs]);
      expect(cards.every((call) => call.ok)).toBe(true);
    });

    it('go at once from postCardNow while the post budget allows, and are left, unclaimed, to postCard after', async () => {
      const posts = new MemoryPostLog();
      const writer = await makeWriter({ posts });
      const now = (id: string) => writer.postCardNow(place(id), PERSONA, card(id));

      // The channel's burst goes at once; the card after it would wait, so it is not posted now.
      const shown: string[] = [];
      for (;;) {
        const ts = await now(`ses_${shown.length + 1}`);
        if (ts === undefined || shown.length >= 10) break;
        shown.push(ts);
      }
      const waiting = `ses_${shown.length + 1}`;
      expect(shown.length).toBeGreaterThanOrEqual(3);
      expect(shown.length).toBeLessThan(10);
      expect(fake.callsTo('chat.postMessage')).toHaveLength(shown.length);
      expect(shown.map((ts, i) => posts.ts(`ses_${i + 1}`, 'card') === ts)).not.toContain(false);
      expect(posts.ts(waiting, 'card')).toBeUndefined();

      // The run job's postCard waits for the budget and posts it, once, with no look through the thread first.
      const later = await writer.postCard(place(waiting), PERSONA, card(waiting));
      expect(fake.callsTo('chat.postMessage')).toHaveLength(shown.length + 1);
      expect(fake.callsTo('conversations.replies')).toEqual([]);
      expect(posts.ts(waiting, 'card')).toBe(later);
      expect(await writer.postCard(place('ses_1'), PERSONA, card('ses_1'))).toBe(shown[0]);
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

    it('draw a lazy card state only when it is sent, so states replaced before their turn are never drawn', async () => {
      const writer = await makeWriter();
      const [ts] = (await postCards(writer, 1)) as [string];
      const drawn: number[] = [];
      const lazy = (i: number) => ({ draw: () => (drawn.push(i), card(`step ${i}`)) });

      for (let i = 1; i <= 20; i++) await writer.updateCard(TEAM, CHANNEL, ts, lazy(i), i === 20);
      await writer.flush();

      const calls = updatesTo(ts);
      expect(drawn).toHaveLength(calls.length);
      expect(drawn.at(-1)).toBe(20);
      expect(shownText(ts)).toBe('step 20');
    });

    it('keep the lanes of at most maxLanes workspaces once idle, never dropping one with updates to send', async () => {
      const writer = await makeWriter({ maxLanes: 2 });
      const post = (teamId: string) =>
        writer.postCard(place(`ses_${teamId}`, threadTs, { teamId }), PERSONA, card('…'));
      const a = await post('TA');
      const held = fake.delayNext('chat.update', (args) => args.ts === a);
      await writer.updateCard({ teamId: 'TA' }, CHANNEL, a, card('A done'), true);
      await held.arrived;
      await post('TB');
      await post('TC');
      await post('TD');
      // TA is busy and stays; TB and TC went idle first and made room.
      expect(writer.lanesKept).toBe(2);
      held.release();
      await writer.flush();
      expect(shownText(a)).toBe('A done');
      await post('TE');
      expect(writer.lanesKept).toBe(2);
    });

    it('reach Slack at most once a second per card, however long a write took to get there', async () => {
      const writer = await makeWriter();
      const [ts] = (await postCards(writer, 1)) as [string];
      await sleep(1_100);
      // The first update is slow on its way (a busy process, a slow network): Slack acts on it 800 ms late.
      const slow = fake.delayNext('chat.update');
      await writer.updateCard(TEAM, CHANNEL, ts, card('first'), false);
      await slow.arrived;
      await sleep(800);
      slow.release();
      await writer.updateCard(TEAM, CHANNEL, ts, card('second'), false);
      await writer.flush();
      const [first, second] = updatesTo(ts);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000);
      expect(shownText(ts)).toBe('second');
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

    it('keep the budget for a final state on its way: live cards wait, and the final goes the moment it comes', async () => {
      // One update a second, no burst beyond one.
      const writer = await makeWriter({ cardsPerMinute: 60, windowMs: 60_000, burst: 1 });
      const [a, b] = (await postCards(writer, 2)) as [string, string];
      await sleep(1_100);

      writer.expectFinal(TEAM, CHANNEL, a);
      await writer.updateCard(TEAM, CHANNEL, b, card('b working'), false);
      await writer.updateCard(TEAM, CHANNEL, a, card('a working, its answer posting'), false);
      await sleep(1_500);
      expect(fake.callsTo('chat.update')).toHaveLength(0);

      const finalAt = Date.now();
      await writer.updateCard(TEAM, CHANNEL, a, card('a done'), true);
      await writer.flush();

      const [first, second, ...rest] = fake.callsTo('chat.update');
      expect([first, second].map((call) => call && textOf(call))).toEqual(['a done', 'b working']);
      expect(rest).toEqual([]);
      // The token that came while it waited was kept for it: it did not wait for the next one, a second later.
      expect((first as SlackCall).at - finalAt).toBeLessThan(900);
    });

    it('keep the budget for a final another process holds: its live cards wait, and the final goes first', async () => {
      const budget = { cardsPerMinute: 60, windowMs: 60_000, burst: 1 };
      const first = await makeWriter(budget);
      const second = await makeWriter(budget);
      const [a] = (await postCards(first, 1)) as [string];
      const [b] = (await postCards(second, 1)) as [string];
      await sleep(1_100);

      first.expectFinal(TEAM, CHANNEL, a);
      await sleep(50);
      await second.updateCard(TEAM, CHANNEL, b, card('b working'), false);
      await sleep(1_500);
      expect(fake.callsTo('chat.update')).toHaveLength(0);

      const finalAt = Date.now();
      await first.updateCard(TEAM, CHANNEL, a, card('a done'), true);
      await Promise.all([first.flush(), second.flush()]);

      const [one, two, ...rest] = fake.callsTo('chat.update');
      expect([one, two].map((call) => call && textOf(call))).toEqual(['a done', 'b working']);
      expect(rest).toEqual([]);
      expect((one as SlackCall).at - finalAt).toBeLessThan(900);
    });

    it('stop holding live cards for a final that no process sends in time, or once it was sent', async () => {
      const budgets = new SlackBudgets(await connectRedis(), prefix);
      const live = () => budgets.take(TEAM.teamId, 'chat.update', { isBehindFinals: true });

      await budgets.expectFinal(TEAM.teamId, `${CHANNEL} 1.1`, 400);
      expect(await live()).toBeGreaterThan(0);
      // A final state goes (and other calls of the method) whatever is expected.
      expect(await budgets.take(TEAM.teamId, 'chat.update')).toBe(0);
      await sleep(450);
      expect(await live()).toBe(0);

      await budgets.expectFinal(TEAM.teamId, `${CHANNEL} 1.2`, 60_000);
      expect(await live()).toBeGreaterThan(0);
      await budgets.finalDone(TEAM.teamId, `${CHANNEL} 1.2`);
      expect(await live()).toBe(0);
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

    it('give a progress signal to the process whose card has gone unchanged longest', async () => {
      // Five reactions a second, one at a time, taken now: two processes' pulses ask at every tick (50 ms here).
      const budgets = new SlackBudgets(await connectRedis(), prefix, {
        'reactions.add': slackUpdateBudget(5, 1_000, 1),
      });
      expect(await budgets.take(TEAM.teamId, 'reactions.add')).toBe(0);
      const seenAt = { a: Date.now() - 4_000, b: Date.now() - 2_000 };
      const signalled: Array<'a' | 'b'> = [];
      const until = Date.now() + 2_500;
      const pulse = async (holder: 'a' | 'b') => {
        while (Date.now() < until) {
          const oldestFirst = { holder, waitedMs: Date.now() - seenAt[holder] };
          if ((await budgets.take(TEAM.teamId, 'reactions.add', { oldestFirst })) === 0) {
            signalled.push(holder);
            // Its card changed; its next card has gone unchanged a second less than the one signalled.
            seenAt[holder] += 1_000;
          }
          await sleep(50);
        }
      };
      await Promise.all([pulse('a'), pulse('b')]);

      // b's card waits until a's cards have waited less than it has: a gets the first two signals, then they alternate.
      expect(signalled.length).toBeGreaterThanOrEqual(10);
      expect(signalled.slice(0, 2)).toEqual(['a', 'a']);
      for (let i = 3; i < signalled.length; i++) expect(signalled.slice(i - 3, i + 1)).toContain('b');
    });

    it('stop letting a process go first once it sent its last card’s final state, or did not come back', async () => {
      // Five updates a second, one at a time, taken now.
      const budgets = new SlackBudgets(await connectRedis(), prefix, { 'chat.update': slackUpdateBudget(5, 1_000, 1) });
      const take = (holder: string, waitedMs?: number, asksAgainWithinMs?: number) =>
        budgets.take(TEAM.teamId, 'chat.update', { oldestFirst: { holder, waitedMs, asksAgainWithinMs } });
      expect(await budgets.take(TEAM.teamId, 'chat.update')).toBe(0);

      // a waits with a card unsent for 10 s (asking again within 2 s): b, whose card waited 1 s, lets it go first even
      // when a token is there.
      expect(await take('a', 10_000, 2_000)).toBeGreaterThan(0);
      await sleep(250);
      expect(await take('b', 1_000)).toBeGreaterThan(0);
      // a's card turned final: it goes at once, and a waits no longer, so b's next asks are b's own turn.
      expect(await take('a')).toBe(0);
      await sleep(250);
      expect(await take('b', 1_500)).toBe(0);

      // a waits again, saying it asks again within 2 s, and never does: b goes after that and a moment's grace.
      await sleep(50);
      expect(await take('a', 10_000, 2_000)).toBeGreaterThan(0);
      await sleep(300);
      expect(await take('b', 2_000)).toBeGreaterThan(0);
      await sleep(2_500);
      expect(await take('b', 3_000)).toBe(0);
    });

    it('tell when a card’s final state has reached Slack, so the run that ended its session can end too', async () => {
      const writer = await makeWriter();
      const [a] = (await postCards(writer, 1)) as [string];
      const slow = fake.delayNext('chat.update', (args) => args.ts === a);
      await writer.updateCard(TEAM, CHANNEL, a, card('a done'), true);
      let isSent = false;
      const sent = writer.finalCardSent(TEAM, CHANNEL, a).then(() => (isSent = true));

      await slow.arrived;
      await new Promise(setImmediate);
      expect(isSent).toBe(false);
      slow.release();
      await sent;
      expect(shownText(a)).toBe('a done');
      // Nothing is pending for it now: asking again answers at once.
      await writer.finalCardSent(TEAM, CHANNEL, a);
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

    it('are found in the thread, not posted again, when an earlier run posted them but died before recording', async () => {
      const posts = new MemoryPostLog();
      const writer = await makeWriter({ posts });
      const messages = [card('First half.'), card('Second half.')];
      const thread = { team: TEAM, sessionId: 'ses_1', channel: CHANNEL, threadTs };
      await writer.post(TEAM, 'ses_2', 'answer-1', CHANNEL, threadTs, PERSONA, 'Another session, same key.');
      posts.isDying = true;
      await expect(writer.post(TEAM, 'ses_1', 'answer-1', CHANNEL, threadTs, PERSONA, 'Done.')).rejects.toThrow();
      await expect(writer.postMessages(thread, 'answer-2', PERSONA, messages)).rejects.toThrow();
      posts.isDying = false;

      await writer.post(TEAM, 'ses_1', 'answer-1', CHANNEL, threadTs, PERSONA, 'Done.');
      await writer.postMessages(thread, 'answer-2', PERSONA, messages);

      expect(fake.callsTo('chat.postMessage').map(textOf)).toEqual([
        'Another session, same key.',
        'Done.',
        'First half.',
        'Second half.',
      ]);
      expect(posts.ts('ses_1', 'answer-1')).toEqual(expect.any(String));
      expect(posts.ts('ses_1', 'answer-2#0')).toEqual(expect.any(String));
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

    it('are looked for, not posted again, when Slack took one but the connection dropped before its answer', async () => {
      const posts = new MemoryPostLog();
      const writer = await makeWriter({ posts });
      fake.cutNext('chat.postMessage', { isDone: true });

      await writer.post(TEAM, 'ses_1', 'answer', CHANNEL, threadTs, PERSONA, 'Posted once.');

      const inThread = fake.messages(CHANNEL, threadTs).filter((m) => m.text === 'Posted once.');
      expect(inThread).toHaveLength(1);
      expect(posts.ts('ses_1', 'answer')).toBe(inThread[0]?.ts);
      expect(fake.callsTo('conversations.replies')).toHaveLength(1);
    });

    it('are posted again when the connection dropped before Slack took them', async () => {
      const posts = new MemoryPostLog();
      const writer = await makeWriter({ posts });
      fake.cutNext('chat.postMessage');

      await writer.post(TEAM, 'ses_1', 'answer', CHANNEL, threadTs, PERSONA, 'Posted on the second try.');

      const inThread = fake.messages(CHANNEL, threadTs).filter((m) => m.text === 'Posted on the second try.');
      expect(inThread).toHaveLength(1);
      expect(posts.ts('ses_1', 'answer')).toBe(inThread[0]?.ts);
      expect(logLines.some((line) => line.includes('"slack.call.retry"'))).toBe(true);
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

  describe('the thread status', () => {
    const shownStatus = () => fake.state.threadStatuses.get(`${CHANNEL} ${threadTs}`);
    const statusCalls = () => fake.callsTo('assistant.threads.setStatus').map((c) => c.args.status);

    it('is cleared by the reply itself, and a workspace without the agent surface is not asked for it again', async () => {
      const writer = await makeWriter();
      await writer.setThreadStatus(TEAM, CHANNEL, threadTs, 'Claude is working…', { title: 'fix', initiatorId: 'U1' });
      expect(shownStatus()).toBe('Claude is working…');

      await writer.post(TEAM, 'ses_1', 'answer', CHANNEL, threadTs, PERSONA, 'Here is the answer.');
      await writer.setThreadStatus(TEAM, CHANNEL, threadTs, '');

      expect(shownStatus()).toBeUndefined();
      expect(statusCalls()).toEqual(['Claude is working…']);
      // Refused once (no agent surface here), then not asked to close what it never opened.
      expect(fake.callsTo('agents.sessions.setStatus').map((c) => c.ok)).toEqual([false]);
    });

    it('is cleared with a call when it was set after the last reply, or while the reply was on its way', async () => {
      const writer = await makeWriter();
      await writer.post(TEAM, 'ses_1', 'answer', CHANNEL, threadTs, PERSONA, 'Here is the answer.');
      await writer.setThreadStatus(TEAM, CHANNEL, threadTs, 'Claude is still working…');
      await writer.setThreadStatus(TEAM, CHANNEL, threadTs, '');
      expect(shownStatus()).toBeUndefined();

      // Slack may take the status after the reply: the reply proves nothing about it.
      const slow = fake.delayNext('assistant.threads.setStatus');
      const status = writer.setThreadStatus(TEAM, CHANNEL, threadTs, 'Claude is working… · 0:12');
      await slow.arrived;
      await writer.post(TEAM, 'ses_1', 'more', CHANNEL, threadTs, PERSONA, 'One more thing.');
      slow.release();
      await status;
      expect(shownStatus()).toBe('Claude is working… · 0:12');
      await writer.setThreadStatus(TEAM, CHANNEL, threadTs, '');

      expect(shownStatus()).toBeUndefined();
      expect(statusCalls()).toEqual(['Claude is still working…', '', 'Claude is working… · 0:12', '']);
    });

    it('is cleared by a process that did not set it (it cannot know what the reply cleared)', async () => {
      const writer = await makeWriter();
      const other = await makeWriter();
      await writer.setThreadStatus(TEAM, CHANNEL, threadTs, 'Claude is working…');
      await other.setThreadStatus(TEAM, CHANNEL, threadTs, '');

      expect(shownStatus()).toBeUndefined();
      expect(statusCalls()).toEqual(['Claude is working…', '']);
    });
  });

  describe('a call Slack never answers', () => {
    // Baton's own client options with a short time limit: an unanswered call fails as a dropped connection would.
    const timingOut = (): SlackClients => {
      const client = new WebClient(TOKEN, {
        ...webClientOptions(fake.url, 0, { timeoutMs: 300 }),
        logLevel: LogLevel.ERROR,
      });
      return { forTeam: async () => client };
    };

    it('is given up on and sent again, so the card updates of its workspace do not wait behind it forever', async () => {
      const writer = await makeWriter({ slack: timingOut() });
      const [a, b] = (await postCards(writer, 2)) as [string, string];
      const unanswered = fake.holdNext('chat.update', (args) => args.ts === a);

      await writer.updateCard(TEAM, CHANNEL, a, card('A done'), true);
      await writer.updateCard(TEAM, CHANNEL, b, card('B done'), true);
      await unanswered;
      await writer.flush();

      expect(shownText(a)).toBe('A done');
      expect(shownText(b)).toBe('B done');
      // The fake records the update it answered (the second try); the first was held unanswered.
      expect(updatesTo(a).map(textOf)).toEqual(['A done']);
      expect(logLines.some((line) => line.includes('"slack.writer.card.retry"'))).toBe(true);
    });

    it('is looked for before a post is sent again, so a post Slack took but never confirmed is not doubled', async () => {
      const posts = new MemoryPostLog();
      const writer = await makeWriter({ slack: timingOut(), posts });
      const unanswered = fake.holdNext('chat.postMessage', () => true, { isDone: true });

      await writer.post(TEAM, 'ses_1', 'answer', CHANNEL, threadTs, PERSONA, 'Posted once.');
      await unanswered;

      const inThread = fake.messages(CHANNEL, threadTs).filter((m) => m.text === 'Posted once.');
      expect(inThread).toHaveLength(1);
      expect(posts.ts('ses_1', 'answer')).toBe(inThread[0]?.ts);
      expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    });
  });

  describe('a 429 on one method', () => {
    it('never delays the answer: a long Retry-After on the thread status holds only the status', async () => {
      // Baton's own client options: a 429 reaches the writer instead of pausing the whole client.
      const baton = (): SlackClients => {
        const client = new WebClient(TOKEN, {
          ...webClientOptions(fake.url, 0, { timeoutMs: 5_000 }),
          logLevel: LogLevel.ERROR,
        });
        return { forTeam: async () => client };
      };
      const writer = await makeWriter({ slack: baton() });
      const other = await makeWriter({ slack: baton() });
      fake.failNext('assistant.threads.setStatus', { status: 429, retryAfterSec: 30 });

      const status = writer.setThreadStatus(TEAM, CHANNEL, threadTs, 'Claude is working…');
      const limited = await fake.waitFor('assistant.threads.setStatus');
      await writer.post(TEAM, 'ses_1', 'answer-1', CHANNEL, threadTs, PERSONA, 'Here is the answer.');
      await status;
      await writer.setThreadStatus(TEAM, CHANNEL, threadTs, 'Claude is still working…');
      await other.setThreadStatus(TEAM, CHANNEL, threadTs, 'Claude is still working…');

      const [answer] = fake.callsTo('chat.postMessage');
      expect(limited.status).toBe(429);
      expect(answer?.ok).toBe(true);
      expect((answer?.at ?? Infinity) - limited.at).toBeLessThan(1_000);
      // The pause is the method's, in Redis: no writer sends a status until it ends.
      expect(fake.callsTo('assistant.threads.setStatus')).toHaveLength(1);
    });

    it('pauses only that method for clients outside the writer, then retries it', async () => {
      const budgets = new SlackBudgets(await connectRedis(), prefix);
      const client = new WebClient(TOKEN, {
        ...webClientOptions(fake.url, 0, { budgets, timeoutMs: 5_000 }),
        logLevel: LogLevel.ERROR,
      });
      fake.failNext('assistant.threads.setStatus', { status: 429, retryAfterSec: 2 });

      const status = client.assistant.threads.setStatus({ channel_id: CHANNEL, thread_ts: threadTs, status: 'x' });
      const limited = await fake.waitFor('assistant.threads.setStatus');
      await client.chat.postMessage({ channel: CHANNEL, thread_ts: threadTs, text: 'answer' });
      const postedAt = Date.now();
      await status;

      const [, retried] = fake.callsTo('assistant.threads.setStatus');
      expect(postedAt - limited.at).toBeLessThan(1_000);
      expect(retried?.ok).toBe(true);
      expect((retried?.at ?? 0) - limited.at).toBeGreaterThanOrEqual(2_000);
    });

    it('leaves the reserve of a budget to calls a person waits for', async () => {
      const budgets = new SlackBudgets(await connectRedis(), prefix, {
        'reactions.add': { perWindow: 3, windowMs: 60_000, burst: 3 },
      });
      const progress = () => budgets.take(TEAM.teamId, 'reactions.add', { reserve: 1 });

      expect(await progress()).toBe(0);
      expect(await progress()).toBe(0);
      // The last token waits for a refill (about 20 s) for progress, a moment (the arrival slack) for a person.
      expect(await progress()).toBeGreaterThan(10_000);
      const personWaitMs = await budgets.take(TEAM.teamId, 'reactions.add');
      expect(personWaitMs).toBeLessThanOrEqual(500);
      await sleep(personWaitMs);
      expect(await budgets.take(TEAM.teamId, 'reactions.add')).toBe(0);
      expect(await budgets.take(TEAM.teamId, 'reactions.add')).toBeGreaterThan(10_000);
    });

    it('lets calls waiting on one budget go in the order they were made', async () => {
      const budgets = new SlackBudgets(await connectRedis(), prefix, {
        'reactions.add': { perWindow: 21, windowMs: 1_000, burst: 1 },
      });
      const calls = new BudgetedCalls({ slack: clients(), budgets, log: createLogger('silent') });
      const reacted: number[] = [];
      // Ten reactions at once: the budget lets one through, then one about every 50 ms.
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          calls.run(TEAM, { method: 'reactions.add' }, async (client) => {
            await client.reactions.add({ channel: CHANNEL, timestamp: threadTs, name: `n${i}` });
            reacted.push(i);
          }),
        ),
      );
      expect(reacted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('sends a settling call after live progress signals, and after its longest wait at the latest', async () => {
      // One token a second, three at most: a person's call needs 1.5, a progress signal 2, a settling call 3.
      const budgets = new SlackBudgets(await connectRedis(), prefix, {
        'reactions.add': { perWindow: 60, windowMs: 60_000, burst: 3 },
      });
      const calls = new BudgetedCalls({ slack: clients(), budgets, log: createLogger('silent') });
      const sent: Array<{ name: string; at: number }> = [];
      const react = (name: string) => async (client: WebClient) => {
        await client.reactions.add({ channel: CHANNEL, timestamp: threadTs, name });
        sent.push({ name, at: Date.now() });
      };
      let isSignalling = true;
      const signalling = (async () => {
        for (let i = 0; isSignalling; i++) {
          await calls.tryRun(TEAM, { method: 'reactions.add', reserve: 1 }, react(`signal${i}`));
          await sleep(50);
        }
      })();
      await sleep(200);
      const startedAt = Date.now();
      await calls.run(TEAM, { method: 'reactions.add', spare: { reserve: 2, maxWaitMs: 1_500 } }, react('settled'));
      isSignalling = false;
      await signalling;

      const settled = sent.find((call) => call.name === 'settled')!;
      expect(sent.filter((call) => call.at < settled.at).length).toBeGreaterThanOrEqual(2);
      expect(settled.at - startedAt).toBeGreaterThanOrEqual(1_500);
      expect(settled.at - startedAt).toBeLessThan(3_000);

      // With no signal asking, the budget refills and the next settling call goes as soon as it has spare.
      await sleep(1_000);
      const spareAt = Date.now();
      await calls.run(TEAM, { method: 'reactions.add', spare: { reserve: 2, maxWaitMs: 10_000 } }, react('spare'));
      expect(Date.now() - spareAt).toBeLessThan(3_000);
      expect(fake.callsTo('reactions.add').every((call) => call.ok)).toBe(true);
    });

    it('does not count calls waiting for a budget, or in line behind one, as foreground work', async () => {
      const budgets = new SlackBudgets(await connectRedis(), prefix, {
        'reactions.add': { perWindow: 1, windowMs: 1_000, burst: 1 },
      });
      const foreground = new Foreground();
      const calls = new BudgetedCalls({ slack: clients(), budgets, log: createLogger('silent'), foreground });
      const react = (name: string) =>
        foreground.run(() =>
          calls.run(TEAM, { method: 'reactions.add' }, (client) =>
            client.reactions.add({ channel: CHANNEL, timestamp: threadTs, name }),
          ),
        );
      // Three mentions' 👀 on a budget of one a second: the first goes, the second waits for the budget, the third
      // waits in line behind it. Nobody is working, so session events must not be held back meanwhile.
      const reacted = Promise.all(['first', 'second', 'third'].map(react));
      await fake.waitFor('reactions.add');
      for (let i = 0; i < 50 && foreground.active !== 0; i++) await sleep(10);
      expect(foreground.active).toBe(0);
      await reacted;
      expect(fake.callsTo('reactions.add').map((c) => c.args.name)).toEqual(['first', 'second', 'third']);
    });

    it('asks a waiting call whether it is still wanted only at its turn, and sends the wanted ones in order', async () => {
      const budgets = new SlackBudgets(await connectRedis(), prefix, {
        'reactions.add': { perWindow: 21, windowMs: 1_000, burst: 1 },
      });
      const calls = new BudgetedCalls({ slack: clients(), budgets, log: createLogger('silent') });
      const asks = Array<number>(10).fill(0);
      const reacted: number[] = [];
      // Ten late 👀 at once, every other one no longer wanted (its card showed): the budget allows one a 50 ms.
      const sent = await Promise.all(
        asks.map((_, i) =>
          calls.runWhile(
            TEAM,
            { method: 'reactions.add' },
            async () => {
              asks[i] = (asks[i] ?? 0) + 1;
              return i % 2 === 0;
            },
            async (client) => {
              await client.reactions.add({ channel: CHANNEL, timestamp: threadTs, name: `n${i}` });
              reacted.push(i);
            },
            10_000,
          ),
        ),
      );
      expect(reacted).toEqual([0, 2, 4, 6, 8]);
      expect(sent).toEqual(asks.map((_, i) => i % 2 === 0));
      // Not asked at every token while others went first: once at its turn, and again after each wait of its own.
      expect(Math.max(...asks)).toBeLessThanOrEqual(3);
    });

    it('takes a post from its channel budget and the workspace budget together', async () => {
      const budgets = new SlackBudgets(await connectRedis(), prefix, {
        'chat.postMessage': { perWindow: 5, windowMs: 60_000, burst: 5 },
      });
      const post = (channel: string) => budgets.take(TEAM.teamId, 'chat.postMessage', { channel });

      // A channel allows a burst of 4, the workspace 5 in all; the last token of each goes a moment later, once
      // calls that reached Slack sooner than they took their tokens could not have emptied Slack's own bucket.
      const first = await Promise.all([1, 2, 3, 4].map(() => post('C1')));
      expect(first.filter((wait) => wait === 0)).toHaveLength(3);
      expect(await post('C2')).toBe(0);
      const lastMs = await post('C3');
      expect(lastMs).toBeGreaterThan(0);
      // The 500 ms of arrival slack, give or take the rounding up of a fractional refill.
      expect(lastMs).toBeLessThanOrEqual(501);
    });
  });

  describe('progress when the card budget is scarce', () => {
    /** Progress signals (status lines and reactions) once the final card is sent, and 800 ms later. */
    async function signalsAfterFinal(writer: SlackThreadWriter): Promise<{ atFinal: number; later: number }> {
      const signals = () =>
        fake.calls.filter((c) => c.method.startsWith('reactions.') || c.method.startsWith('assistant')).length;
      await writer.flush();
      await sleep(300);
      const atFinal = signals();
      await sleep(800);
      return { atFinal, later: signals() };
    }

    it('shows the thread status, then flips the pulse reaction on the card, and stops when the card is final', async () => {
      // One card update per 4 s: the card's own update cannot show every step.
      const writer = await makeWriter({ cardsPerMinute: 1, windowMs: 4_000, burst: 1, pulseAfterMs: 300 });
      const [ts] = (await postCards(writer, 1)) as [string];
      const working = { ...card('working'), status: 'Claude is working… step 3: bash' };
      await writer.updateCard(TEAM, CHANNEL, ts, working, false);

      const status = await fake.waitFor('assistant.threads.setStatus');
      const on = await fake.waitFor('reactions.add');
      const off = await fake.waitFor('reactions.remove');
      await writer.updateCard(TEAM, CHANNEL, ts, working, false);
      await writer.updateCard(TEAM, CHANNEL, ts, card('done'), true);
      const { atFinal, later } = await signalsAfterFinal(writer);

      expect(status.args).toMatchObject({ thread_ts: threadTs });
      expect(status.args.status).toMatch(/^Claude is working… step 3: bash · 0:0\d$/);
      for (const call of [on, off]) expect(call.args).toMatchObject({ timestamp: ts, name: 'hourglass_flowing_sand' });
      expect(on.at).toBeLessThan(off.at);
      // The card itself had one update in its budget (the first); the signals filled the gaps, at most one a 300 ms.
      expect(fake.callsTo('chat.update').filter((c) => c.args.text === 'working')).toHaveLength(1);
      expect(later).toBe(atFinal);
      expect(shownText(ts)).toBe('done');
    });

    it('gives new cards their status line at once while that budget is well stocked, and in a burst with their first signal', async () => {
      const writer = await makeWriter({ cardsPerMinute: 1, windowMs: 4_000, burst: 1, pulseAfterMs: 300 });
      const threads = Array.from({ length: 4 }, (_, i) => fake.seedMessage({ text: `@baton task ${i}` }).ts);
      const started = { title: 'a task', initiatorId: 'U0001' };
      // The last two cards are posted by the job that makes their sessions, and followed by the process that runs them.
      const [first, second, third, fourth] = threads as [string, string, string, string];
      const thirdTs = (await writer.postCardNow(place('ses_burst_2', third), PERSONA, card('Starting')))!;
      const fourthTs = (await writer.postCardNow(place('ses_burst_3', fourth), PERSONA, card('Starting')))!;
      await writer.postCard(place('ses_burst_0', first), PERSONA, card('Starting'));
      await writer.postCard(place('ses_burst_1', second), PERSONA, card('Starting'));
      for (const thread of threads) await writer.setThreadStatus(TEAM, CHANNEL, thread, 'Claude is working…', started);
      writer.followCard(place('ses_burst_2', third), thirdTs, 'Claude is working…');
      writer.followCard(place('ses_burst_3', fourth), fourthTs, 'Claude is working…');
      const statusOf = (thread: string) =>
        fake.callsTo('assistant.threads.setStatus').find((c) => c.args.thread_ts === thread)?.args.status;

      // The budget holds 5: the first two cards take one each, and the rest is left for cards gone quiet.
      expect(threads.map(statusOf)).toEqual(['Claude is working…', 'Claude is working…', undefined, undefined]);
      await fake.waitFor('assistant.threads.setStatus', (c) => c.args.thread_ts === fourth);
      expect(statusOf(third)).toMatch(/^Claude is working… · 0:0\d$/);
      expect(statusOf(fourth)).toMatch(/^Claude is working… · 0:0\d$/);
    });

    it('come from the process that runs the session, not the one whose job posted its card', async () => {
      const options = { cardsPerMinute: 1, windowMs: 4_000, burst: 1, pulseAfterMs: 300 };
      const [poster, runner] = [await makeWriter(options), await makeWriter(options)];
      const ts = (await poster.postCardNow(place('ses_1'), PERSONA, card('Starting')))!;
      runner.followCard(place('ses_1'), ts);
      await runner.updateCard(TEAM, CHANNEL, ts, { ...card('working'), status: 'Claude is working…' }, false);

      const on = await fake.waitFor('reactions.add');
      expect(on.args).toMatchObject({ timestamp: ts, name: 'hourglass_flowing_sand' });
      await runner.updateCard(TEAM, CHANNEL, ts, card('done'), true);
      const { atFinal, later } = await signalsAfterFinal(runner);

      // Nothing goes on pulsing a finished card (the poster never followed it).
      expect(later).toBe(atFinal);
      expect(shownText(ts)).toBe('done');
    });

    it('leaves 👀 out rather than wait when the reaction budget is spent', async () => {
      const writer = await makeWriter();
      const budgets = new SlackBudgets(await connectRedis(), prefix);
      expect(await writer.acknowledge(TEAM, CHANNEL, threadTs)).toBe(true);
      while ((await budgets.take(TEAM.teamId, 'reactions.add')) === 0);

      const startedAt = Date.now();
      expect(await writer.acknowledge(TEAM, CHANNEL, threadTs)).toBe(false);
      expect(Date.now() - startedAt).toBeLessThan(500);
      expect(fake.callsTo('reactions.add')).toHaveLength(1);
    });

    it('adds a late 👀 once the reaction budget allows it, unless the card showed meanwhile', async () => {
      const writer = await makeWriter();
      const budgets = new SlackBudgets(await connectRedis(), prefix);
      while ((await budgets.take(TEAM.teamId, 'reactions.add')) === 0);

      const asked: string[] = [];
      const cardShown = async () => {
        asked.push('shown');
        return false;
      };
      expect(await writer.acknowledge(TEAM, CHANNEL, '1700000000.000901', cardShown)).toBe(false);
      const cardMissing = async () => {
        asked.push('missing');
        return true;
      };
      expect(await writer.acknowledge(TEAM, CHANNEL, '1700000000.000902', cardMissing)).toBe(false);

      // The budget refills one call in about 1.2 s (Tier 3): the 👀 still wanted then goes; the other never did.
      const late = await fake.waitFor('reactions.add');
      expect(late.args).toMatchObject({ timestamp: '1700000000.000902', name: 'eyes' });
      expect(asked).toContain('shown');
      expect(fake.callsTo('reactions.add')).toHaveLength(1);
    });

    it('gives late 👀 to the newest mentions first, as their cards go out oldest first', async () => {
      const writer = await makeWriter();
      const budgets = new SlackBudgets(await connectRedis(), prefix);
      while ((await budgets.take(TEAM.teamId, 'reactions.add')) === 0);

      const mentions = ['1700000000.000911', '1700000000.000912', '1700000000.000913'];
      for (const ts of mentions) expect(await writer.acknowledge(TEAM, CHANNEL, ts, async () => true)).toBe(false);
      // One call about every 1.2 s (Tier 3): the two that refill first go to the two newest mentions.
      const late = await fake.waitForCalls('reactions.add', 2, undefined, 10_000);
      expect(late.map((call) => call.args.timestamp)).toEqual([mentions[2], mentions[1]]);
    });

    it('takes off at the end only the reactions Baton put on, whichever process put them', async () => {
      const writer = await makeWriter();
      const [heard, byAgent, unheard] = ['1700000000.000921', '1700000000.000922', '1700000000.000923'];
      expect(await writer.acknowledge(TEAM, CHANNEL, heard)).toBe(true);
      // The agent's "in progress" (another process's writer) puts 👀 on too.
      await (await makeWriter()).react(TEAM, CHANNEL, byAgent, 'eyes', true);
      for (const ts of [heard, byAgent, unheard]) {
        await writer.settleReactions(TEAM, CHANNEL, ts, { off: ['eyes'], on: 'white_check_mark' });
      }

      expect(fake.callsTo('reactions.remove').map((call) => call.args.timestamp)).toEqual([heard, byAgent]);
      const checks = fake.callsTo('reactions.add').filter((call) => call.args.name === 'white_check_mark');
      expect(checks.map((call) => call.args.timestamp)).toEqual([heard, byAgent, unheard]);
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
