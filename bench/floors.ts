import { SlackLimits } from '../tests/fakes/slack/slack-limits';

/** One session as the floors see it: where it runs and when its mention was sent and its provider finished. */
export interface FloorSession {
  teamId: string;
  channelId: string;
  sentAt: number;
  /** The provider's last turn ended (NaN while it has not). */
  finishedAt: number;
}

/**
 * Baton keeps at most one update per card per second, so a final card can lag its last update by up to that: a floor
 * under a second counts as a second when a figure is divided by it.
 */
const SMALLEST_FLOOR_MS = 1_000;

export const ratioToFloor = (valueMs: number, floorMs: number): number =>
  valueMs / Math.max(floorMs, SMALLEST_FLOOR_MS);

/** The earliest moment each call of one method could go, calls made in order of `at`, through Slack's buckets. */
function earliestCalls(method: string, calls: Array<{ teamId: string; channelId: string; at: number }>): number[] {
  const limits = new SlackLimits();
  const order = calls.map((c, i) => ({ ...c, i })).sort((a, b) => a.at - b.at);
  const out: number[] = new Array<number>(calls.length);
  for (const c of order) out[c.i] = limits.earliest(method, c.teamId, c.channelId, c.at);
  return out;
}

/**
 * Per session, the soonest a person could see a sign of life (👀 or the card) after the mention, if Baton did
 * nothing but those two calls as fast as Slack allows.
 */
export function firstSignFloorsMs(sessions: FloorSession[]): number[] {
  const calls = sessions.map((s) => ({ teamId: s.teamId, channelId: s.channelId, at: s.sentAt }));
  const reactions = earliestCalls('reactions.add', calls);
  const cards = earliestCalls('chat.postMessage', calls);
  return sessions.map((s, i) => Math.min(reactions[i] as number, cards[i] as number) - s.sentAt);
}

/**
 * Per finished session, the soonest both its answer (a post in its channel) and its final card (a `chat.update`
 * from the workspace's Tier 3 budget) could land after the provider finished, given when every session finished.
 */
export function finalFloorsMs(sessions: FloorSession[]): number[] {
  const done = sessions.filter((s) => Number.isFinite(s.finishedAt));
  const calls = done.map((s) => ({ teamId: s.teamId, channelId: s.channelId, at: s.finishedAt }));
  const answers = earliestCalls('chat.postMessage', calls);
  const cards = earliestCalls('chat.update', calls);
  return done.map((s, i) => Math.max(answers[i] as number, cards[i] as number) - s.finishedAt);
}
