import { startFakeSlack } from '../fakes/slack-api';
import { finalFloorsMs, firstSignFloorsMs, firstSignRatio, ratioToFloor } from '../../bench/floors';
import { SlackLimits, TIER_3 } from '../fakes/slack/slack-limits';

describe("the fake Slack's published limits", () => {
  it('lets a Tier 3 method burst, then spaces calls at 50 a minute', () => {
    const limits = new SlackLimits();
    for (let i = 0; i < TIER_3.burst; i++) expect(limits.admit('chat.update', 'T1', 'C1', 0)).toBe(0);
    expect(limits.admit('chat.update', 'T1', 'C1', 0)).toBe(1_200);
    expect(limits.admit('chat.update', 'T1', 'C1', 1_200)).toBe(0);
    expect(limits.admit('chat.update', 'T2', 'C1', 0)).toBe(0);
  });

  it('limits chat.postMessage per channel, so other channels of the workspace still post', () => {
    const limits = new SlackLimits();
    for (let i = 0; i < 4; i++) expect(limits.admit('chat.postMessage', 'T1', 'C1', 0)).toBe(0);
    expect(limits.admit('chat.postMessage', 'T1', 'C1', 0)).toBe(1_000);
    expect(limits.admit('chat.postMessage', 'T1', 'C2', 0)).toBe(0);
  });

  it('caps chat.postMessage across the workspace', () => {
    const limits = new SlackLimits();
    const admitted = Array.from({ length: 40 }, (_, i) => limits.admit('chat.postMessage', 'T1', `C${i}`, 0));
    expect(admitted.filter((wait) => wait === 0)).toHaveLength(30);
  });

  it('gives the earliest moment a queue of calls could go, for floors', () => {
    const limits = new SlackLimits();
    const times = Array.from({ length: 8 }, () => limits.earliest('reactions.add', 'T1', undefined, 0));
    expect(times).toEqual([0, 0, 0, 0, 0, 1_200, 2_400, 3_600]);
  });

  it('answers 429 with Retry-After once a method is over its tier', async () => {
    const slack = await startFakeSlack({ rateLimits: { isPublished: true } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < TIER_3.burst + 1; i++) {
        const response = await fetch(`${slack.url}reactions.add`, {
          method: 'POST',
          headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/json' },
          body: JSON.stringify({ channel: 'C1', timestamp: '1.1', name: `r${i}` }),
        });
        statuses.push(response.status);
        if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect(statuses.slice(0, TIER_3.burst).every((s) => s === 200)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await slack.close();
    }
  });
});

describe('floors the limits impose on a bench run', () => {
  it('gives each mention whichever of 👀 or its card could land first, so a burst spends both budgets', () => {
    const oneChannel = Array.from({ length: 12 }, () => ({
      teamId: 'T1',
      channelId: 'C1',
      sentAt: 0,
      finishedAt: NaN,
    }));
    // Five 👀 and four card posts burst at once; then cards come every second and 👀 every 1.2 s, taken in turn.
    expect(firstSignFloorsMs(oneChannel)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1_000, 1_200, 2_000]);
  });

  it('has no first-sign floor when the cards of a burst spread over channels can all go at once', () => {
    const spread = Array.from({ length: 15 }, (_, i) => ({
      teamId: 'T1',
      channelId: `C${i % 3}`,
      sentAt: 0,
      finishedAt: NaN,
    }));
    expect(firstSignFloorsMs(spread)).toEqual(new Array(15).fill(0));
  });

  it("counts a first sign against the floor plus Baton's own allowance", () => {
    expect(firstSignRatio(75, 0, 150)).toBe(0.5);
    expect(firstSignRatio(2_300, 2_150, 150)).toBe(1);
  });

  it('spaces final cards of sessions finishing together on the Tier 3 budget', () => {
    const together = Array.from({ length: 20 }, (_, i) => ({
      teamId: 'T1',
      channelId: `C${i % 5}`,
      sentAt: 0,
      finishedAt: 0,
    }));
    const floors = finalFloorsMs(together).sort((a, b) => a - b);
    expect(floors[0]).toBe(0);
    expect(floors.at(-1)).toBe((20 - TIER_3.burst) * 1_200);
  });

  it('gives finishing cards no saved-up burst while other cards are live: those spend every token', () => {
    // 20 sessions live from 0 s, finishing 100 ms apart from 20 s: each token until then went to a live card.
    const staggered = Array.from({ length: 20 }, (_, i) => ({
      teamId: 'T1',
      channelId: `C${i % 5}`,
      sentAt: 0,
      finishedAt: 20_000 + i * 100,
    }));
    const floors = finalFloorsMs(staggered);
    // Tokens come every 1.2 s; the first one after 20 s is at 20.4 s, then one per final.
    expect(floors[0]).toBe(400);
    expect(floors.at(-1)).toBe(20_400 + 19 * 1_200 - 21_900);
  });

  it('counts a floor under a second as a second in ratios', () => {
    expect(ratioToFloor(1_500, 0)).toBe(1.5);
    expect(ratioToFloor(12_000, 10_000)).toBe(1.2);
  });
});
