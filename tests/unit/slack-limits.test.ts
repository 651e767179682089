import { startFakeSlack } from '../fakes/slack-api';
import { finalFloorsMs, firstSignFloorsMs, ratioToFloor } from '../../bench/floors';
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
  it('lets the first 👀 or card of a burst go at once, and only later ones wait', () => {
    const burst = Array.from({ length: 15 }, (_, i) => ({
      teamId: 'T1',
      channelId: `C${i % 3}`,
      sentAt: 0,
      finishedAt: NaN,
    }));
    const floors = firstSignFloorsMs(burst);
    expect(floors.slice(0, TIER_3.burst)).toEqual(new Array(TIER_3.burst).fill(0));
    expect(Math.max(...floors)).toBeGreaterThan(0);
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

  it('counts a floor under a second as a second in ratios', () => {
    expect(ratioToFloor(1_500, 0)).toBe(1.5);
    expect(ratioToFloor(12_000, 10_000)).toBe(1.2);
  });
});
