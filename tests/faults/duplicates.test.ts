import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ACTION } from '../../src/views/ids';
import { QUEUE_NAMES } from '../../jobs/definitions';
import { readyBot, sessionsQuery } from '../integration/sessions-helpers';
import { startHarness, type Harness } from '../support/harness';
import { appMention } from '../support/slack-requests';
import { FakeSocketModeServer } from '../support/socket-mode';
import { testRedisUrl } from '../support/redis';

// Slack redelivers an event it thinks Baton missed (HTTP, with X-Slack-Retry-Num) and Socket Mode can hand the
// same event out twice; either way a mention must give one session, one card and one answer.

const text = (value: unknown) => JSON.stringify(value);
const tally = { deliveries: 0, mentions: 0, sessions: 0, lost: 0 };

/** What the thread shows and what Baton stored for one mention, once nothing is left to run. */
async function outcome(h: Harness, botId: string, answer: string, mentionTs: string) {
  const session = await sessionsQuery(h).waitFor(botId, 'done');
  await h.slack.waitFor('chat.postMessage', (c) => c.args.text === answer);
  await settled(h);
  const posts = h.slack.callsTo('chat.postMessage');
  return {
    sessions: (await sessionsQuery(h).forBot(botId)).length,
    cards: posts.filter((c) => text(c.args.blocks).includes(ACTION.stopSession)).length,
    answers: posts.filter((c) => c.args.text === answer).length,
    eyes: h.slack.callsTo('reactions.add').filter((c) => c.args.name === 'eyes').length,
    handJobs: await handJobsFor(h, mentionTs),
    session,
  };
}

async function withQueues<T>(h: Harness, run: (queues: Queue[]) => Promise<T>): Promise<T> {
  const connection = new Redis(testRedisUrl, { maxRetriesPerRequest: null });
  const queues = QUEUE_NAMES.map((name) => new Queue(name, { connection, prefix: h.config.redisPrefix }));
  try {
    return await run(queues);
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    connection.disconnect();
  }
}

/** Waits until no job is waiting or running, so a late duplicate would already have shown in the counts. */
function settled(h: Harness): Promise<void> {
  return withQueues(h, async (queues) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
      if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
      if (Date.now() > deadline) throw new Error(`queues still busy: ${text(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

/** hand-to-bot jobs that ran for the mention at `ts`. */
const handJobsFor = (h: Harness, ts: string) =>
  withQueues(h, async ([triggers]) => {
    const jobs = await triggers!.getJobs(['completed', 'failed']);
    return jobs.filter((j) => j.name === 'hand-to-bot' && (j.data as { messageTs?: string }).messageTs === ts).length;
  });

function expectOne(result: Awaited<ReturnType<typeof outcome>>) {
  expect(result).toMatchObject({ sessions: 1, cards: 1, answers: 1, eyes: 1, handJobs: 1 });
  tally.sessions += result.sessions;
}

afterAll(() => {
  console.log(
    `faults/duplicates: ${tally.deliveries} deliveries of ${tally.mentions} mentions, ` +
      `${tally.sessions} sessions, lost: ${tally.lost}`,
  );
});

describe('a mention delivered three times over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());
  beforeEach(() => h.slack.reset());

  it('gives one session, one card and one answer when Slack retries it one after another', async () => {
    const { bot } = await readyBot(h, 'retried');
    h.anthropic.setScenario('default', 'plain', { text: 'Answered once.' });
    const root = h.slack.seedMessage({ text: 'Why is the deploy stuck?', user: 'U0002' });
    const mention = appMention({ text: '<@UBATON> retried look', ts: '1700005000.000200', thread_ts: root.ts });
    const responses = [
      await h.send.event(mention),
      await h.send.event(mention, { retryNum: 1, retryReason: 'http_timeout' }),
      await h.send.event(mention, { retryNum: 2, retryReason: 'http_error' }),
    ];
    tally.deliveries += 3;
    tally.mentions += 1;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expectOne(await outcome(h, bot.id, 'Answered once.', '1700005000.000200'));
  });

  it('gives one session, one card and one answer when the three deliveries arrive at once', async () => {
    const { bot } = await readyBot(h, 'racing');
    h.anthropic.setScenario('default', 'plain', { text: 'Still once.' });
    const root = h.slack.seedMessage({ text: 'Flaky test again', user: 'U0002' });
    const mention = appMention({ text: '<@UBATON> racing look', ts: '1700005100.000200', thread_ts: root.ts });
    const responses = await Promise.all([
      h.send.event(mention),
      h.send.event(mention, { retryNum: 1 }),
      h.send.event(mention, { retryNum: 2 }),
    ]);
    tally.deliveries += 3;
    tally.mentions += 1;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const result = await outcome(h, bot.id, 'Still once.', '1700005100.000200');
    expectOne(result);
    expect(result.session.threadTs).toBe(root.ts);
  });
});

describe('a mention delivered twice over Socket Mode', () => {
  let socketMode: FakeSocketModeServer;
  let h: Harness;
  beforeAll(async () => {
    socketMode = await FakeSocketModeServer.start();
    h = await startHarness({ SLACK_APP_TOKEN: 'xapp-1-test' }, { socketModeUrl: socketMode.url });
    await h.slack.waitFor('apps.connections.open');
  });
  afterAll(async () => {
    await h.stop();
    await socketMode.close();
  });

  it('gives one session, one card and one answer for two envelopes carrying the same event', async () => {
    const { bot } = await readyBot(h, 'socketed');
    h.slack.reset();
    h.anthropic.setScenario('default', 'plain', { text: 'One answer over the socket.' });
    const root = h.slack.seedMessage({ text: 'Can you check the queue?', user: 'U0002' });
    const mention = appMention({ text: '<@UBATON> socketed check', ts: '1700005200.000200', thread_ts: root.ts });
    await socketMode.send('events_api', mention);
    await socketMode.send('events_api', mention, { retry_attempt: 1, retry_reason: 'timeout' });
    tally.deliveries += 2;
    tally.mentions += 1;
    expectOne(await outcome(h, bot.id, 'One answer over the socket.', '1700005200.000200'));
  });
});
