import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { TRIGGER_QUEUE_NAME } from '../../jobs/definitions';
import { startBaton, type Baton } from '../../src/baton';
import { createLogger } from '../../src/log';
import { startHarness, type Harness } from '../support/harness';
import { testRedisUrl } from '../support/redis';
import { appMention } from '../support/slack-payloads';
import { readyBot, sessionsQuery } from './sessions-helpers';

// Baton's web role alone: no worker takes jobs here, so whatever reaches the fake Slack came from the web process.
let h: Harness;
let connection: Redis;
let triggers: Queue;
let worker: Baton | undefined;
beforeAll(async () => {
  h = await startHarness({ BATON_ROLE: 'web' });
  connection = new Redis(testRedisUrl, { maxRetriesPerRequest: null });
  triggers = new Queue(TRIGGER_QUEUE_NAME, { connection, prefix: h.config.redisPrefix });
});
afterAll(async () => {
  await worker?.stop();
  await triggers.close();
  connection.disconnect();
  await h.stop();
});

const eyesOn = (ts: string) =>
  h.slack.callsTo('reactions.add').filter((c) => c.ok && c.args.timestamp === ts && c.args.name === 'eyes');

async function triggerJob(eventId: string) {
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; await sleep(20)) {
    const job = await triggers.getJob(`hand-${eventId}`);
    if (job) return job;
  }
  throw new Error(`no trigger job for ${eventId}`);
}

describe('a mention that is surely work', () => {
  it('is handed to its job anyway when Slack is slow to take its 👀, which lands once Slack answers', async () => {
    const held = h.slack.delayNext('reactions.add');
    const mention = appMention({ text: '<@UBATON> heard while Slack is slow', ts: '1700000200.000100' });
    await h.send.event(mention);
    await held.arrived;
    // Slack still holds the 👀: the job is waiting all the same, and it does not know whether the 👀 went.
    const job = await triggerJob(mention.event_id);
    expect(job.data.heard).toBeUndefined();
    expect(eyesOn(mention.event.ts)).toEqual([]);
    held.release();
    for (const deadline = Date.now() + 5_000; eyesOn(mention.event.ts).length === 0 && Date.now() < deadline;) {
      await sleep(20);
    }
    expect(eyesOn(mention.event.ts)).toHaveLength(1);
  });

  it('gets its 👀 from the web process before any job runs, and its job starts the session without a second one', async () => {
    const { bot } = await readyBot(h, 'heard');
    h.anthropic.setScenario('default', 'plain', { text: 'Fixed.' });
    const mention = appMention({ text: '<@UBATON> heard fix the flaky build', ts: '1700000300.000100' });
    // A ping and a reply in a thread may start nothing or go to a running session: only the job can tell.
    const ping = appMention({ text: '<@UBATON> ping', ts: '1700000300.000200' });
    const reply = appMention({
      text: '<@UBATON> heard also this',
      ts: '1700000300.000400',
      thread_ts: '1700000300.000300',
    });
    const answered = await Promise.all([mention, ping, reply].map((envelope) => h.send.event(envelope)));
    expect(answered.map((r) => r.status)).toEqual([200, 200, 200]);

    const job = await triggerJob(mention.event_id);
    expect(job.data).toMatchObject({ messageTs: '1700000300.000100', heard: true });
    expect(eyesOn('1700000300.000100')).toHaveLength(1);
    expect((await triggerJob(ping.event_id)).data.heard).toBeUndefined();
    expect((await triggerJob(reply.event_id)).data.heard).toBeUndefined();
    expect([ping, reply].map((envelope) => eyesOn(envelope.event.ts))).toEqual([[], []]);
    // With its 👀 on, it waits behind triggers whose people have no sign yet (BullMQ runs those first).
    expect(await triggers.getJobState(job.id!)).toBe('prioritized');
    expect(await triggers.getJobState((await triggerJob(ping.event_id)).id!)).toBe('waiting');

    // A worker on the same database and Redis takes the jobs: the mention's session answers, with that one 👀.
    worker = await startBaton({ ...h.config, role: 'worker' }, createLogger('silent'));
    const answerIn = (threadTs: string) =>
      h.slack
        .callsTo('chat.postMessage')
        .filter((c) => c.ok && c.args.thread_ts === threadTs && c.args.text === 'Fixed.');
    for (const deadline = Date.now() + 15_000; answerIn(mention.event.ts).length === 0 && Date.now() < deadline;) {
      await sleep(50);
    }
    expect(answerIn(mention.event.ts)).toHaveLength(1);
    const sessions = await sessionsQuery(h).forBot(bot.id);
    expect(sessions.filter((s) => s.triggerTs === mention.event.ts)).toHaveLength(1);
    expect(eyesOn(mention.event.ts)).toHaveLength(1);
  });

  it('leaves its 👀 to the job when the reaction budget has none now, and every mention still gets a sign', async () => {
    // Five 👀 are the workspace's burst: of six more mentions at once, some find no budget in the web process.
    const mentions = ['1', '2', '3', '4', '5', '6'].map((n) =>
      appMention({ text: `<@UBATON> heard task ${n}`, ts: `1700000400.00000${n}` }),
    );
    await Promise.all(mentions.map((envelope) => h.send.event(envelope)));
    const jobs = await Promise.all(mentions.map((m) => triggerJob(m.event_id)));
    const unheard = jobs.filter((job) => job.data.heard === false).map((job) => job.data.messageTs as string);
    expect(unheard.length).toBeGreaterThan(0);
    expect(jobs.filter((job) => job.data.heard === true).map((job) => eyesOn(job.data.messageTs))).not.toContainEqual(
      [],
    );
    // The job shows those people its card (or a late 👀): the web process's refusal is not the last word.
    const hasSign = (ts: string) =>
      eyesOn(ts).length > 0 || h.slack.callsTo('chat.postMessage').some((c) => c.ok && c.args.thread_ts === ts);
    for (const deadline = Date.now() + 10_000; !unheard.every(hasSign) && Date.now() < deadline;) await sleep(50);
    expect(unheard.filter((ts) => !hasSign(ts))).toEqual([]);
  });
});
