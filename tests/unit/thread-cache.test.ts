import { WebClient } from '@slack/web-api';
import { ReadBudget } from '../../src/mcp/read-budget';
import { compareTs, ThreadCache } from '../../src/mcp/thread-cache';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api';

let slack: FakeSlack;
let client: WebClient;
beforeAll(async () => {
  slack = await startFakeSlack();
  client = new WebClient('xoxb-test', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
});
afterAll(() => slack.close());

function seedThread(replies: number): string {
  const parent = slack.seedMessage({ channel: 'C0001', user: 'U0001', text: 'parent' });
  for (let i = 0; i < replies; i++) slack.seedMessage({ channel: 'C0001', text: `reply ${i}`, thread_ts: parent.ts });
  return parent.ts;
}

const repliesCalls = (ts: string) => slack.callsTo('conversations.replies').filter((c) => c.args.ts === ts);
const texts = (read: { raw: Array<{ text?: string }> }) => read.raw.map((m) => m.text);

describe('ThreadCache', () => {
  it('asks Slack only for replies newer than the last read of the session’s thread', async () => {
    const ts = seedThread(3);
    const cache = new ThreadCache();
    const first = await cache.read('ses_1', new ReadBudget(), client, 'C0001', ts);
    expect(texts(first)).toEqual(['parent', 'reply 0', 'reply 1', 'reply 2']);
    slack.seedMessage({ channel: 'C0001', text: 'reply 3', thread_ts: ts });
    const second = await cache.read('ses_1', new ReadBudget(), client, 'C0001', ts);
    expect(texts(second)).toEqual(['parent', 'reply 0', 'reply 1', 'reply 2', 'reply 3']);
    const calls = repliesCalls(ts);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args.oldest).toBeUndefined();
    expect(calls[1]?.args.oldest).toBe(first.raw.at(-1)?.ts);
    // Another session reads the thread for itself.
    await cache.read('ses_2', new ReadBudget(), client, 'C0001', ts);
    expect(repliesCalls(ts)[2]?.args.oldest).toBeUndefined();
  });

  it('reads a long thread one page per Slack read the call has left, and the next call reads on', async () => {
    const ts = seedThread(9);
    const cache = new ThreadCache({ pageSize: 2 });
    const first = await cache.read('ses_1', new ReadBudget(3), client, 'C0001', ts);
    expect(texts(first)).toEqual(['parent', 'reply 0', 'reply 1', 'reply 2', 'reply 3', 'reply 4']);
    expect(first.readUpTo).toBe(first.raw.at(-1)?.ts);
    expect(repliesCalls(ts)).toHaveLength(3);
    const second = await cache.read('ses_1', new ReadBudget(3), client, 'C0001', ts);
    expect(texts(second)).toEqual(['parent', ...Array.from({ length: 9 }, (_, i) => `reply ${i}`)]);
    expect(second.readUpTo).toBeUndefined();
    expect(repliesCalls(ts)).toHaveLength(6);
  });

  it('refuses a read with no Slack reads left, and reads the whole thread again once the kept one expires', async () => {
    const ts = seedThread(1);
    let now = 1_000;
    const cache = new ThreadCache({ ttlMs: 60_000, now: () => now });
    const spent = new ReadBudget(1);
    spent.spend(1);
    await expect(cache.read('ses_1', spent, client, 'C0001', ts)).rejects.toMatchObject({ code: 'rate_limited' });
    await cache.read('ses_1', new ReadBudget(), client, 'C0001', ts);
    now += 61_000;
    await cache.read('ses_1', new ReadBudget(), client, 'C0001', ts);
    expect(repliesCalls(ts).map((c) => c.args.oldest)).toEqual([undefined, undefined]);
  });

  it('compares Slack timestamps exactly', () => {
    expect(compareTs('1700000000.000101', '1700000000.000100')).toBeGreaterThan(0);
    expect(compareTs('999999999.9', '1700000000.000100')).toBeLessThan(0);
    expect(compareTs('1700000000.1', '1700000000.100000')).toBe(0);
  });
});
