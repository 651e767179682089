import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { TRIGGER_QUEUE_NAME } from '../../jobs/definitions';
import { appMention, appHomeOpened, slashCommand } from '../support/slack-requests';
import { BOT_TOKEN, startHarness, type Harness } from '../support/harness';
import { testRedisUrl } from '../support/redis';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.slack.reset());

async function jobCount(): Promise<number> {
  const connection = new Redis(testRedisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(TRIGGER_QUEUE_NAME, { connection, prefix: h.config.redisPrefix });
  try {
    const counts = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

describe('walking skeleton through Bolt, Redis, the worker and Slack', () => {
  it('answers /baton help ephemerally in the ack, listing the commands', async () => {
    const response = await h.send.command(slashCommand({ text: 'help' }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ response_type: 'ephemeral' });
    const text = JSON.stringify(response.body);
    expect(text).toContain('/baton help');
    expect(text).toContain('hands Slack threads to AI agents');
  });

  it('treats an empty /baton like help, and names an unknown subcommand', async () => {
    expect(JSON.stringify((await h.send.command(slashCommand({ text: '' }))).body)).toContain('/baton help');
    const unknown = await h.send.command(slashCommand({ text: 'frobnicate <now>' }));
    expect(JSON.stringify(unknown.body)).toContain('`frobnicate`');
  });

  it('answers ping with pong in the thread and reacts to the mention', async () => {
    const envelope = appMention({ text: '<@UBATON> ping', ts: '1700000000.000200', thread_ts: '1700000000.000100' });
    const response = await h.send.event(envelope);
    expect(response.status).toBe(200);

    const post = await h.slack.waitFor('chat.postMessage');
    expect(post.token).toBe(BOT_TOKEN);
    expect(post.args).toMatchObject({ channel: 'C0001', thread_ts: '1700000000.000100', text: 'pong' });
    const reaction = h.slack.callsTo('reactions.add')[0];
    expect(reaction?.args).toMatchObject({ channel: 'C0001', timestamp: '1700000000.000200' });
  });

  it('starts a thread on a top-level mention by replying to the message itself', async () => {
    await h.send.event(appMention({ text: 'hey <@UBATON> PING?', ts: '1700000000.000300' }));
    const post = await h.slack.waitFor('chat.postMessage');
    expect(post.args).toMatchObject({ thread_ts: '1700000000.000300', text: 'pong' });
  });

  it('turns three deliveries of one event id into one job and one reply', async () => {
    const before = await jobCount();
    const envelope = appMention({ text: '<@UBATON> ping', ts: '1700000000.000400' });
    await h.send.event(envelope);
    await h.send.event(envelope, { retryNum: 1 });
    await h.send.event(envelope, { retryNum: 2 });
    await h.slack.waitFor('chat.postMessage');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await jobCount()).toBe(before + 1);
  });

  it('rejects a bad or stale signature with 401 and enqueues nothing', async () => {
    const before = await jobCount();
    const forged = await h.send.event(appMention({ text: '<@UBATON> ping' }), { badSignature: true });
    const stale = await h.send.event(appMention({ text: '<@UBATON> ping' }), {
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect([forged.status, stale.status]).toEqual([401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await jobCount()).toBe(before);
    expect(h.slack.calls).toHaveLength(0);
  });

  it('publishes the App Home view when the Home tab opens', async () => {
    await h.send.event(appHomeOpened({ user: 'U0001' }));
    const publish = await h.slack.waitFor('views.publish');
    expect(publish.args).toMatchObject({ user_id: 'U0001', view: { type: 'home' } });
    expect(JSON.stringify(publish.args.view)).toContain('/baton help');
  });

  it('reports healthy only while the database and Redis answer', async () => {
    const response = await fetch(`http://127.0.0.1:${h.baton.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: 'ok', redis: 'ok' });
  });
});
