import { setTimeout as sleep } from 'node:timers/promises';
import type { SlackCall } from '../fakes/slack-api';
import { startHarness, type Harness } from '../support/harness';
import { appMention, blockActions } from '../support/slack-requests';
import { buttonIn } from './github-helpers';
import { readyBot, sessionsQuery } from './sessions-helpers';
import { CHANNEL, mcpClient, toolsFixture } from './tools-helpers';

// One run slot in the worker: a session made while another works waits for it.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ SESSION_CONCURRENCY: '1', QUEUED_CARD_AFTER_MS: '300' });
});
afterAll(() => h.stop());

const text = (value: unknown) => JSON.stringify(value);
/** The ts Slack gave a post. */
const tsOf = (call: SlackCall) => (call.response as { ts: string }).ts;
const isCardIn = (ts: string) => (c: SlackCall) =>
  c.ok && c.args.thread_ts === ts && text(c.args.blocks).includes('Stop');

describe('a session waiting for a run slot', () => {
  it('shows its card as queued, stops from it at once, and runs from that same card once a slot frees up', async () => {
    const { bot } = await readyBot(h, 'busy');
    h.anthropic.setScenario('default', 'plain', { text: 'Done here.' });
    const holder = '1700000100.000100';
    await h.send.event(appMention({ text: '<@UBATON> busy [scenario:slow delayMs=1000] hold the slot', ts: holder }));
    await sessionsQuery(h).waitFor(bot.id, 'running');

    // Two more sessions: each gets its 👀 at once, and, its run still waiting, a card that says it is queued.
    const [toStop, toRun] = ['1700000200.000100', '1700000300.000100'];
    for (const ts of [toStop, toRun]) await h.send.event(appMention({ text: `<@UBATON> busy task ${ts}`, ts }));
    const cards = await Promise.all([toStop, toRun].map((ts) => h.slack.waitFor('chat.postMessage', isCardIn(ts))));
    for (const [i, ts] of [toStop, toRun].entries()) {
      const heard = h.slack.callsTo('reactions.add').filter((c) => c.ok && c.args.timestamp === ts);
      expect(heard.map((c) => c.args.name)).toEqual(['eyes']);
      expect(text(cards[i]!.args.blocks)).toContain('Queued');
      expect(text(cards[i]!.args.blocks)).toContain('Every session slot is busy');
    }
    const sessionOf = async (ts: string) => (await sessionsQuery(h).forBot(bot.id)).find((s) => s.triggerTs === ts)!;
    expect(await sessionOf(toStop)).toMatchObject({ status: 'queued', providerSessionId: null });

    // Stop on the queued card ends that session now, while the first one still holds the slot.
    const stop = buttonIn(cards[0]!.args, 'Stop');
    expect(stop).toBeDefined();
    await h.send.interaction(blockActions({ action_id: stop!.action_id!, value: stop!.value! }));
    const stopped = await h.slack.waitFor(
      'chat.update',
      (c) => c.args.ts === tsOf(cards[0]!) && text(c.args.blocks).includes('Stopped'),
    );
    expect(stopped.ok).toBe(true);
    expect((await sessionOf(toStop)).status).toBe('stopped');
    expect((await sessionOf(holder)).status).toBe('running');

    // The first session ends; the other runs from its queued card (no second card) to its answer. (The two trigger
    // jobs ran side by side, so either queued session may be the newest: each is found by its mention.)
    for (const deadline = Date.now() + 20_000; (await sessionOf(toRun)).status !== 'done';) {
      expect(Date.now()).toBeLessThan(deadline);
      await sleep(50);
    }
    expect((await sessionOf(holder)).status).toBe('done');
    const answer = await h.slack.waitFor(
      'chat.postMessage',
      (c) => c.args.thread_ts === toRun && c.args.text === 'Done here.',
    );
    expect(answer.ok).toBe(true);
    const done = await h.slack.waitFor(
      'chat.update',
      (c) => c.args.ts === tsOf(cards[1]!) && text(c.args.blocks).includes('Done'),
    );
    expect(text(done.args.blocks)).not.toContain('Every session slot is busy');
    expect(h.slack.callsTo('chat.postMessage').filter(isCardIn(toRun))).toHaveLength(1);

    // The stopped session never reached the provider; the others each made one provider session.
    await sleep(200);
    expect(h.anthropic.sessions.size).toBe(2);
    expect((await sessionOf(toStop)).providerSessionId).toBeNull();
  });

  it('shows the card of a session an agent started (start_session) as queued too', async () => {
    const f = toolsFixture(h);
    const { bot: holderBot } = await readyBot(h, 'holder');
    const { bot: helper } = await readyBot(h, 'helper');
    await f.bots.setStatus(helper.id, 'ready');
    h.anthropic.setScenario('default', 'plain', { text: 'Helped.' });
    await h.send.event(
      appMention({ text: '<@UBATON> holder [scenario:slow delayMs=600] hold it', ts: '1700000400.000100' }),
    );
    await sessionsQuery(h).waitFor(holderBot.id, 'running');

    const planner = await f.bot('planner', 'full');
    const threadTs = f.thread([['U0001', 'Plan the release']]);
    const client = await mcpClient(h, await f.mcpToken(await f.session(planner, threadTs), planner));
    const args = { channel: CHANNEL, thread_ts: threadTs, task: 'Write the release notes', bot: 'helper' };
    const started = await client.callTool({ name: 'start_session', arguments: args });
    await client.close();
    expect(started.isError).toBeFalsy();
    const card = await h.slack.waitFor('chat.postMessage', isCardIn(threadTs));
    expect(text(card.args.blocks)).toContain('Queued');
    expect((await sessionsQuery(h).forBot(helper.id))[0]).toMatchObject({ status: 'queued', providerSessionId: null });

    const done = await sessionsQuery(h).waitFor(helper.id, 'done', 20_000);
    expect(done.cardTs).toBe(tsOf(card));
  });
});
