import { startHarness, type Harness } from '../support/harness';
import { expectVisibleEnd, midSession, mentionBot, newTally, seen, tallyLine, type Tally } from './services-helpers';

// The services Baton talks to fail under running sessions: the Anthropic Managed Agents API answers 429 or 500 or
// cuts its event stream, Slack answers 429 (with Retry-After) or 500 or drops the connection. Each session still ends
// where a person sees it: its answer in the thread once, or one readable note and a Retry button on the card.

const tally: Tally = newTally();
const startedAt = Date.now();

afterAll(() => {
  console.log(`${tallyLine('services-apis', tally)} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
});

let h: Harness;
beforeAll(async () => {
  // The SDKs' own retries as in production (Anthropic 2, Slack 3), so a single 429 or 500 on a retried call is
  // ridden out.
  h = await startHarness({ ANTHROPIC_API_RETRIES: '2', SLACK_API_RETRIES: '3', JOB_BACKOFF_MS: '250' });
});
afterAll(() => h.stop());
/** How many requests since this test began the fake answered with `status` on a path matching `path`. */
let firstRequest = 0;
const answered = (path: RegExp, status: number) =>
  h.anthropic.requests.slice(firstRequest).filter((r) => path.test(r.path) && r.status === status).length;

beforeEach(() => {
  firstRequest = h.anthropic.requests.length;
  h.slack.reset();
  h.anthropic.clearFailures();
});

describe('the Managed Agents API answers 429', () => {
  it('when the session is created: one readable note saying to wait, and Retry on the card', async () => {
    h.anthropic.setScenario('default', 'plain', { text: 'Never asked.' });
    h.anthropic.failNext('/v1/sessions', { method: 'POST', status: 429, retryAfterMs: 1_000 });
    tally.faults += 1;
    const { bot, threadTs } = await mentionBot(h, 'ma-429-create');
    const result = await seen(h, bot.id, threadTs, 'Never asked.');
    expectVisibleEnd(result, tally, 'failed');
    expect(result.notes[0]).toContain('rate-limiting');
  });

  it('while the events are read: the SDK waits it out and the answer is in the thread once', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '200', text: 'Answer after a 429.' });
    h.anthropic.failNext('/v1/sessions/*/events', { method: 'GET', status: 429, retryAfterMs: 200 });
    tally.faults += 1;
    const { bot, threadTs } = await mentionBot(h, 'ma-429-list');
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer after a 429.'), tally, 'done');
    expect(answered(/\/events$/, 429)).toBe(1);
  });
});

describe('the Managed Agents API answers 500', () => {
  it('when the session is created: one readable note and Retry on the card', async () => {
    h.anthropic.setScenario('default', 'plain', { text: 'Not created.' });
    h.anthropic.failNext('/v1/sessions', { method: 'POST', status: 500 });
    tally.faults += 1;
    const { bot, threadTs } = await mentionBot(h, 'ma-500-create');
    const result = await seen(h, bot.id, threadTs, 'Not created.');
    expectVisibleEnd(result, tally, 'failed');
    expect(result.notes[0]).toContain('Anthropic API returned an error (500)');
  });

  it('once while the events are read: the answer is in the thread once', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '200', text: 'Answer after a 500.' });
    h.anthropic.failNext('/v1/sessions/*/events', { method: 'GET', status: 500 });
    tally.faults += 1;
    const { bot, threadTs } = await mentionBot(h, 'ma-500-list');
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer after a 500.'), tally, 'done');
    expect(answered(/\/events$/, 500)).toBe(1);
  });

  it('the connection drops on every try of a read, past the SDK retries: Baton reads again, the answer once', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '200', text: 'Answer after the connection dropped.' });
    // The SDK's first try and its 2 retries.
    h.anthropic.failNext('/v1/sessions/*/events', { method: 'GET', dropConnection: true, times: 3 });
    tally.faults += 3;
    const { bot, threadTs } = await mentionBot(h, 'ma-dropped');
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer after the connection dropped.'), tally, 'done');
  });

  it('when the session is created: Baton asks again, finds nothing made, and the answer lands once', async () => {
    h.anthropic.setScenario('default', 'plain', { text: 'Created on the second try.' });
    h.anthropic.failNext('/v1/sessions', { method: 'POST', dropConnection: true });
    tally.faults += 1;
    const before = h.anthropic.requests.length;
    const { bot, threadTs } = await mentionBot(h, 'ma-dropped-create');
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Created on the second try.'), tally, 'done');
    // The second try first looked for a session the first one might have made.
    const tries = h.anthropic.requests.slice(before).filter((r) => r.path === '/v1/sessions');
    expect(tries.map((r) => r.method)).toEqual(['POST', 'GET', 'POST']);
  });

  it('on every read of the events: it ends with a note and Retry, not a card working forever', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '200', text: 'Unreadable answer.' });
    h.anthropic.failNext('/v1/sessions/*/events', { method: 'GET', status: 500, times: 20 });
    tally.faults += 1;
    const { bot, threadTs } = await mentionBot(h, 'ma-500-always');
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Unreadable answer.'), tally);
  });
});

describe('the Managed Agents event stream is cut mid-turn', () => {
  const cutScenario = (mode: 'destroy' | 'end') => ({
    name: `cut-${mode}`,
    steps: [
      // Long enough for Baton to have its stream open when the cut comes.
      { delayMs: 600 },
      { modelRequestStart: true as const },
      { message: 'Looking.' },
      { cutStream: mode },
      { delayMs: 300 },
      { message: `Answer after the stream was cut (${mode}).` },
      { modelRequestEnd: true as const },
    ],
  });

  it.each(['destroy', 'end'] as const)('(%s): Baton reconnects and the answer is in the thread once', async (mode) => {
    const { name, steps } = cutScenario(mode);
    h.anthropic.defineScenario(name, steps);
    h.anthropic.setScenario('default', name);
    tally.faults += 1;
    const { bot, threadTs } = await mentionBot(h, `ma-cut-${mode}`);
    expectVisibleEnd(await seen(h, bot.id, threadTs, `Answer after the stream was cut (${mode}).`), tally, 'done');
  });

  it('and the reconnect is answered 500 once: the answer is still in the thread once', async () => {
    const { name, steps } = cutScenario('destroy');
    h.anthropic.defineScenario(name, steps);
    h.anthropic.setScenario('default', name);
    const { bot, threadTs } = await mentionBot(h, 'ma-cut-500');
    await midSession(h, bot.id);
    h.anthropic.failNext('/v1/sessions/*/events/stream', { method: 'GET', status: 500 });
    tally.faults += 2;
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer after the stream was cut (destroy).'), tally, 'done');
    expect(answered(/\/events\/stream$/, 500)).toBe(1);
  });
});

describe('Slack answers 429 with Retry-After', () => {
  it('to the answer: Baton waits it out and the answer is in the thread once', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '200', text: 'Answer after Slack said wait.' });
    const { bot, threadTs } = await mentionBot(h, 'slack-429-answer');
    await midSession(h, bot.id);
    h.slack.failNext('chat.postMessage', { retryAfterSec: 1 });
    tally.faults += 1;
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer after Slack said wait.'), tally, 'done');
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(1);
  });

  it('to card updates: the card still ends Done and the answer is in the thread once', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '200', text: 'Answer with a throttled card.' });
    const { bot, threadTs } = await mentionBot(h, 'slack-429-card');
    await midSession(h, bot.id);
    h.slack.failNext('chat.update', { retryAfterSec: 1 });
    h.slack.failNext('chat.update', { retryAfterSec: 1 });
    tally.faults += 2;
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer with a throttled card.'), tally, 'done');
  });
});

describe('Slack answers 500', () => {
  it('to the answer: the answer is in the thread once', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '200', text: 'Answer after Slack broke.' });
    const { bot, threadTs } = await mentionBot(h, 'slack-500-answer');
    await midSession(h, bot.id);
    h.slack.failNext('chat.postMessage', { status: 500 });
    tally.faults += 1;
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer after Slack broke.'), tally, 'done');
  });

  it('to the card: the session still ends with its answer once and a final card', async () => {
    h.anthropic.setScenario('default', 'slow', { delayMs: '200', text: 'Answer with a broken card.' });
    const { bot, threadTs } = await mentionBot(h, 'slack-500-card');
    await midSession(h, bot.id);
    h.slack.failNext('chat.update', { status: 500 });
    tally.faults += 1;
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'Answer with a broken card.'), tally, 'done');
  });

  it('to the failure note: the note still reaches the thread once, with Retry on the card', async () => {
    h.anthropic.setScenario('default', 'plain', { text: 'No answer.' });
    h.anthropic.failNext('/v1/sessions', { method: 'POST', status: 429, retryAfterMs: 1_000 });
    const { bot, threadTs } = await mentionBot(h, 'slack-500-note');
    // The card is the first post; the failure note the next.
    await h.slack.waitFor('chat.postMessage');
    h.slack.failNext('chat.postMessage', { status: 500 });
    tally.faults += 2;
    expectVisibleEnd(await seen(h, bot.id, threadTs, 'No answer.'), tally, 'failed');
  });
});

describe('the connection to Slack drops', () => {
  it.each([
    ['after', true],
    ['before', false],
  ])('%s Slack took the answer: the answer is in the thread once', async (when, isDone) => {
    const answer = `Answer whose post was cut ${when} Slack took it.`;
    h.anthropic.setScenario('default', 'slow', { delayMs: '200', text: answer });
    const { bot, threadTs } = await mentionBot(h, `slack-cut-${when}`);
    await midSession(h, bot.id);
    h.slack.cutNext('chat.postMessage', { isDone });
    tally.faults += 1;
    expectVisibleEnd(await seen(h, bot.id, threadTs, answer), tally, 'done');
  });
});
