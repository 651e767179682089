import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import { TRIGGER_QUEUE_NAME } from '../../jobs/definitions';
import { ACTION } from '../../src/views/ids';
import { startHarness, type Harness } from '../support/harness';
import { testRedisUrl } from '../support/redis';
import { appMention, blockActions, eventCallback, messageEvent } from '../support/slack-requests';
import { readyBot, sessionsQuery } from './sessions-helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.slack.reset());

const text = (value: unknown) => JSON.stringify(value);
const turnsOf = async (sessionId: string) =>
  (await sessionsQuery(h).events(sessionId)).filter((e) => e.kind === 'turn_started').map(text);

// First in this file: the workspace has no bots yet.
describe('"I heard you" before deciding', () => {
  const isEyesOn = (ts: string) => (c: { args: Record<string, unknown> }) =>
    c.args.name === 'eyes' && c.args.timestamp === ts;

  it('takes back the early 👀 when the workspace has no bot to hand the mention to', async () => {
    const ts = '1700001900.000100';
    await h.send.event(appMention({ text: '<@UBATON> please look at the logs', ts }));
    const told = await h.slack.waitFor('chat.postEphemeral', (c) => String(c.args.text).includes('no bots'));
    const removed = await h.slack.waitFor('reactions.remove', isEyesOn(ts));
    const added = h.slack.callsTo('reactions.add').filter(isEyesOn(ts));
    expect(added).toHaveLength(1);
    const order = h.slack.calls.map((c) => [added[0], removed, told].indexOf(c)).filter((i) => i >= 0);
    expect(order).toEqual([0, 1, 2]);
  });

  it('puts 👀 on a new mention while which bot takes it is still being read, then starts the session once', async () => {
    const { bot } = await readyBot(h, 'early');
    h.anthropic.setScenario('default', 'plain', { text: 'Heard early.' });
    const ts = '1700001900.000200';
    // Nothing that decides can read the bots while this transaction holds them: 👀 reaches Slack all the same.
    await h.db.db.transaction(async (tx) => {
      await tx.execute(sql`lock table bots in access exclusive mode`);
      await h.send.event(appMention({ text: '<@UBATON> early look at the logs', ts }));
      await h.slack.waitFor('reactions.add', isEyesOn(ts));
    });
    await sessionsQuery(h).waitFor(bot.id, 'done');
    await h.slack.waitFor('chat.postMessage', (c) => c.args.text === 'Heard early.');
    expect(h.slack.callsTo('reactions.add').filter(isEyesOn(ts))).toHaveLength(1);
  });

  it('puts 👀 on a mention before asking which bot should take it', async () => {
    await readyBot(h, 'other');
    const ts = '1700001900.000300';
    await h.send.event(appMention({ text: '<@UBATON> please fix the flaky login test', ts }));
    const picker = await h.slack.waitFor('chat.postEphemeral', (c) => text(c.args.blocks).includes(ACTION.pickBot));
    const eyes = h.slack.calls.findIndex((c) => c.method === 'reactions.add' && isEyesOn(ts)(c));
    expect(eyes).toBeGreaterThanOrEqual(0);
    expect(eyes).toBeLessThan(h.slack.calls.indexOf(picker));
  });
});

describe('one Slack trigger, one session', () => {
  it('starts one session when Slack delivers the same mention again, even after the dedupe record is gone', async () => {
    const { bot } = await readyBot(h, 'once');
    h.anthropic.setScenario('default', 'plain', { text: 'Only once.' });
    const envelope = appMention({ text: '<@UBATON> once do it', ts: '1700002000.000100' });
    await h.send.event(envelope);
    await h.send.event(envelope, { retryNum: 1, retryReason: 'http_timeout' });
    await sessionsQuery(h).waitFor(bot.id, 'done');

    // As if Baton crashed after claiming the event and its queue forgot the job: the trigger still maps to the
    // session it already made.
    const connection = new Redis(testRedisUrl, { maxRetriesPerRequest: null });
    await connection.del(`${h.config.redisPrefix}:event:${envelope.event_id}`);
    const queue = new Queue(TRIGGER_QUEUE_NAME, { connection, prefix: h.config.redisPrefix });
    await queue.remove(`hand-${envelope.event_id}`);
    expect(await queue.getJobState(`hand-${envelope.event_id}`)).toBe('unknown');
    await h.send.event(envelope, { retryNum: 2, retryReason: 'http_timeout' });
    const jobId = `hand-${envelope.event_id}`;
    for (let i = 0; i < 100 && (await queue.getJobState(jobId)) !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await queue.getJobState(jobId)).toBe('completed');
    await queue.close();
    connection.disconnect();

    expect(await sessionsQuery(h).forBot(bot.id)).toHaveLength(1);
    const cards = h.slack
      .callsTo('chat.postMessage')
      .filter((c) => text(c.args.blocks ?? '').includes(ACTION.stopSession));
    expect(cards).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.text === 'Only once.')).toHaveLength(1);
  });
});

describe('replies in a thread with an active session', () => {
  it('go to the session without a mention; bot posts, edits and !aside replies do not', async () => {
    const { bot } = await readyBot(h, 'listens');
    h.anthropic.setScenario('default', 'slow', { delayMs: '600', text: 'Turn done' });
    const root = '1700002100.000100';
    await h.send.event(appMention({ text: '<@UBATON> listens start', ts: root }));
    const running = await sessionsQuery(h).waitFor(bot.id, 'running');

    await h.send.event(messageEvent({ text: '!aside did anyone eat?', ts: '1700002100.000200', thread_ts: root }));
    await h.send.event(
      messageEvent({ text: 'a bot chimes in', ts: '1700002100.000300', thread_ts: root, bot_id: 'B0OTHER' }),
    );
    await h.send.event(
      messageEvent({ text: 'edited', ts: '1700002100.000400', thread_ts: root, subtype: 'message_changed' }),
    );
    await h.send.event(
      messageEvent({
        text: 'please also update the changelog',
        ts: '1700002100.000500',
        thread_ts: root,
        user: 'U0002',
      }),
    );

    await sessionsQuery(h).waitFor(bot.id, 'done', 20_000);
    const turns = await turnsOf(running.id);
    expect(turns).toHaveLength(2);
    expect(turns[1]).toContain('please also update the changelog');
    expect(turns[1]).toMatch(/untrusted/i);
    expect(turns.join()).not.toContain('did anyone eat');
    expect(turns.join()).not.toContain('chimes in');
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.text === 'Turn done')).toHaveLength(2);
  });

  it('are ignored when no session is active in the thread', async () => {
    const { bot } = await readyBot(h, 'quiet');
    await h.send.event(
      messageEvent({ text: 'just chatting', ts: '1700002150.000200', thread_ts: '1700002150.000100' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await sessionsQuery(h).forBot(bot.id)).toHaveLength(0);
    expect(h.slack.callsTo('chat.postEphemeral')).toHaveLength(0);
  });

  it('reach the agent once its session exists when they arrive while it is starting', async () => {
    const { bot } = await readyBot(h, 'patient2');
    h.anthropic.setScenario('default', 'plain', { text: 'Answered' });
    h.anthropic.failNext('/v1/sessions', { delayMs: 2500, method: 'POST' });
    const root = '1700002200.000100';
    await h.send.event(appMention({ text: '<@UBATON> patient2 begin', ts: root }));
    const starting = await sessionsQuery(h).waitFor(bot.id, ['queued', 'starting']);
    await h.send.event(messageEvent({ text: 'and mind the tests', ts: '1700002200.000200', thread_ts: root }));

    await sessionsQuery(h).waitFor(bot.id, 'done', 20_000);
    const turns = await turnsOf(starting.id);
    expect(turns).toHaveLength(2);
    expect(turns[1]).toContain('and mind the tests');
  });
});

describe('the bot picker', () => {
  it('hands the task the person typed to the bot they pick', async () => {
    const { bot: first } = await readyBot(h, 'alpha');
    await readyBot(h, 'beta');
    h.anthropic.setScenario('default', 'plain', { text: 'Picked and done.' });
    await h.send.event(appMention({ text: '<@UBATON> please fix the flaky login test', ts: '1700002300.000100' }));
    const picker = await h.slack.waitFor('chat.postEphemeral', (c) => text(c.args.blocks).includes(ACTION.pickBot));
    expect(text(picker.args.blocks)).toContain('please fix the flaky login test');
    type Element = { text: { text: string }; action_id: string; value: string };
    const buttons = (picker.args.blocks as Array<{ elements?: Element[] }>).flatMap((b) => b.elements ?? []);
    const alpha = buttons.find((b) => b.text.text === 'alpha')!;

    await h.send.interaction(blockActions({ action_id: alpha.action_id, value: alpha.value }));
    const session = await sessionsQuery(h).waitFor(first.id, 'done');
    expect(session.task).toBe('please fix the flaky login test');
    expect((await turnsOf(session.id))[0]).toContain('please fix the flaky login test');
    await h.slack.waitFor('chat.postMessage', (c) => c.args.text === 'Picked and done.');
  });
});

describe("Slack's agent surface", () => {
  it('shows the session status there, and its Stop stops the session like the card', async () => {
    h.slack.state.hasAgentSurface = true;
    // Earlier tests' sessions found no agent surface in this workspace, and Baton asks again only after ten minutes
    // or a restart.
    await h.restart();
    const { bot } = await readyBot(h, 'surface');
    h.anthropic.setScenario('default', 'slow', { delayMs: '500' });
    const root = '1700002400.000100';
    await h.send.event(appMention({ text: '<@UBATON> surface take a while', ts: root }));
    const running = await sessionsQuery(h).waitFor(bot.id, 'running');
    const working = await h.slack.waitFor('agents.sessions.setStatus', (c) => c.args.status === 'processing');
    expect(working.args).toMatchObject({ channel_id: 'C0001', thread_ts: root, title: 'take a while' });
    expect(h.slack.callsTo('assistant.threads.setStatus').filter((c) => c.args.thread_ts === root)).toHaveLength(0);

    await h.send.event(
      eventCallback({
        type: 'agent_session_stopped',
        channel: 'C0001',
        user: 'U0001',
        thread_ts: root,
        streaming_message_ts: [],
        event_ts: '1700002400.000900',
      }),
    );
    const stopped = await sessionsQuery(h).waitFor(bot.id, 'stopped');
    expect(stopped.id).toBe(running.id);
    await h.slack.waitFor('chat.update', (c) => text(c.args.blocks).includes('Stopped'));
    await h.slack.waitFor('agents.sessions.setStatus', (c) => c.args.status === 'closed');
  });
});
