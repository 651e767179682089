import { setTimeout as sleep } from 'node:timers/promises';
import { startHarness, type Harness } from '../support/harness';
import { appMention } from '../support/slack-payloads';
import { readyBot, sessionsQuery } from './sessions-helpers';

// One session at a time in the worker, so a second session's run job waits for the first one to end.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ SESSION_CONCURRENCY: '1' });
});
afterAll(() => h.stop());

describe('the first sign of a mention', () => {
  it('is its card, from the job that made its session, when 👀 cannot go and no run job can start yet', async () => {
    const { bot } = await readyBot(h, 'busy');
    h.anthropic.setScenario('default', 'plain', { text: 'Done.' });
    // The first session holds the only run slot for about ten seconds.
    await h.send.event(appMention({ text: '<@UBATON> busy [scenario:slow delayMs=2000]', ts: '1700000100.000100' }));
    const first = await sessionsQuery(h).waitFor(bot.id, 'running');

    // Six more mentions: the workspace's 👀 budget (a burst of five) is spent before the last of them.
    const mentions = ['1', '2', '3', '4', '5', '6'].map((n) => `1700000200.00000${n}`);
    await Promise.all(mentions.map((ts) => h.send.event(appMention({ text: `<@UBATON> busy task ${ts}`, ts }))));

    const signOf = (ts: string) => {
      const isOk = (c: { ok: boolean }) => c.ok;
      if (h.slack.callsTo('reactions.add').some((c) => isOk(c) && c.args.timestamp === ts)) return 'eyes';
      if (h.slack.callsTo('chat.postMessage').some((c) => isOk(c) && c.args.thread_ts === ts)) return 'card';
      return undefined;
    };
    for (const deadline = Date.now() + 5_000; !mentions.every(signOf) && Date.now() < deadline;) await sleep(50);
    expect(mentions.map(signOf)).not.toContain(undefined);
    const unheard = mentions.filter((ts) => signOf(ts) === 'card');
    expect(unheard.length).toBeGreaterThan(0);

    // Those cards came before their sessions' run jobs could start: the first session still holds the slot. (A card's
    // ts is stored after its post and its thread status, so it may reach the database a moment after Slack has it.)
    const cardedOf = async () => {
      const sessions = await sessionsQuery(h).forBot(bot.id);
      return { sessions, carded: sessions.filter((s) => unheard.includes(s.triggerTs)) };
    };
    let { sessions, carded } = await cardedOf();
    for (const deadline = Date.now() + 5_000; carded.some((s) => !s.cardTs) && Date.now() < deadline;) {
      await sleep(50);
      ({ sessions, carded } = await cardedOf());
    }
    expect(carded.map((s) => [s.cardTs !== null, s.providerSessionId])).toEqual(unheard.map(() => [true, null]));
    expect(sessions.find((s) => s.id === first.id)?.status).toBe('running');
  });
});
