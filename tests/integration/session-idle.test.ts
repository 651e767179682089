import { SessionRepository } from '../../models/sessions';
import { IDLE_FIRST_WAIT_MS, IDLE_MAX_WAIT_MS } from '../../src/sessions/run-session';
import { startHarness, type Harness } from '../support/harness';
import { appMention } from '../support/slack-requests';
import { readyBot, sessionsQuery } from './sessions-helpers';

const WAITS = 8;
let h: Harness;
let sessions: SessionRepository;
const waits: number[] = [];
// Runs when the session loop waits; after WAITS of them the test presses Stop (the loop ends at the next check).
let onWait: () => Promise<void> = async () => {};

beforeAll(async () => {
  h = await startHarness({}, {}, undefined, {
    sleep: async (ms) => {
      waits.push(ms);
      await onWait();
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  sessions = new SessionRepository(h.db.db);
});
afterAll(() => h.stop());

describe('a session whose provider is idle with a turn still to come', () => {
  it('asks the provider again after growing waits (capped), not in a tight loop', async () => {
    const { bot } = await readyBot(h, 'waiter');
    h.anthropic.setScenario('default', 'slow', { delayMs: '300', text: 'First answer' });
    await h.send.event(appMention({ text: '<@UBATON> waiter start', ts: '1700002100.000100' }));
    const running = await sessionsQuery(h).waitFor(bot.id, 'running');
    // A follow-up counted as asked whose message the agent never got: the provider goes idle after turn one.
    await sessions.countFollowUpAsked(running.id);
    const lists = () =>
      h.anthropic.requests.filter(
        (r) => r.method === 'GET' && r.path === `/v1/sessions/${running.providerSessionId}/events`,
      );
    onWait = async () => {
      if (waits.length === WAITS || lists().length > 50) await sessions.update(running.id, { isStopRequested: true });
    };
    await sessionsQuery(h).waitFor(bot.id, ['done', 'stopped', 'failed'], 20_000);

    expect(waits.slice(0, WAITS)).toEqual([250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect(waits[0]).toBe(IDLE_FIRST_WAIT_MS);
    expect(Math.max(...waits)).toBe(IDLE_MAX_WAIT_MS);
    // One history list per ask: the first read, then one after each wait.
    expect(lists().length).toBeLessThanOrEqual(WAITS + 2);
  });
});
