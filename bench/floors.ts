import { limitOf, SlackLimits } from '../tests/fakes/slack/slack-limits';

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
 * Per session, the soonest a person could see a sign of life after the mention, if Baton did nothing but those calls
 * as fast as Slack allows: mentions in the order they were sent, each taking whichever of 👀 (`reactions.add`, Tier 3
 * per workspace) or its card (`chat.postMessage`, per channel and per workspace) could land first. A session that got
 * 👀 leaves the post budget to the next one, so a burst in one channel spends both budgets, not only one.
 */
export function firstSignFloorsMs(sessions: FloorSession[]): number[] {
  const limits = new SlackLimits();
  const out: number[] = new Array<number>(sessions.length);
  const order = sessions.map((s, i) => ({ s, i })).sort((a, b) => a.s.sentAt - b.s.sentAt);
  for (const { s, i } of order) {
    const eyes = limits.peek('reactions.add', s.teamId, s.channelId, s.sentAt);
    const card = limits.peek('chat.postMessage', s.teamId, s.channelId, s.sentAt);
    const method = eyes <= card ? 'reactions.add' : 'chat.postMessage';
    out[i] = limits.earliest(method, s.teamId, s.channelId, Math.min(eyes, card)) - s.sentAt;
  }
  return out;
}

/**
 * A first sign's ratio: Baton's p95 against the floor plus the work Baton may take itself (the 150 ms target), so a
 * floor of 0 (every card can burst) still gives a figure, and a floor Slack imposes is not counted against Baton.
 */
export const firstSignRatio = (valueMs: number, floorMs: number, ownMs: number): number =>
  valueMs / (Math.max(0, floorMs) + ownMs);

/**
 * When each final card of one workspace could be updated at best. Live cards always have state to show, so every
 * `chat.update` token that arrives while no final is waiting goes to a live card (that is their fair share), and so
 * do tokens saved up before; tokens pile up (to the burst) only while no card is live. Finals take each token first, in the order they finished.
 */
function finalCardTimes(team: FloorSession[], done: FloorSession[]): number[] {
  const { perMinute, burst } = limitOf('chat.update');
  const intervalMs = 60_000 / perMinute;
  const isLive = (at: number) => team.some((s) => s.sentAt <= at && !(s.finishedAt <= at));
  const order = done.map((s, i) => ({ at: s.finishedAt, i })).sort((a, b) => a.at - b.at);
  const out: number[] = new Array<number>(done.length);
  let stored = burst;
  let next = Math.min(...team.map((s) => s.sentAt)) + intervalMs;
  for (let k = 0; k < order.length;) {
    const { at, i } = order[k] as { at: number; i: number };
    if (at < next && stored >= 1) {
      out[i] = at;
      stored--;
      k++;
    } else if (next <= at) {
      stored = isLive(next) ? 0 : Math.min(burst, stored + 1);
      next += intervalMs;
    } else {
      out[i] = next;
      next += intervalMs;
      k++;
    }
  }
  return out;
}

/**
 * Per finished session, the soonest both its answer (a post in its channel) and its final card could land after the
 * provider finished, given when every session started and finished: the answer through the channel's and the
 * workspace's post budgets, the card through the workspace's Tier 3 `chat.update` budget while the other live
 * cards keep their fair share of it (see `finalCardTimes`).
 */
export function finalFloorsMs(sessions: FloorSession[]): number[] {
  const done = sessions.filter((s) => Number.isFinite(s.finishedAt));
  const calls = done.map((s) => ({ teamId: s.teamId, channelId: s.channelId, at: s.finishedAt }));
  const answers = earliestCalls('chat.postMessage', calls);
  const cards = new Array<number>(done.length);
  for (const teamId of new Set(done.map((s) => s.teamId))) {
    const mine = done.map((s, i) => ({ s, i })).filter(({ s }) => s.teamId === teamId);
    const times = finalCardTimes(
      sessions.filter((s) => s.teamId === teamId && Number.isFinite(s.sentAt)),
      mine.map(({ s }) => s),
    );
    mine.forEach(({ i }, k) => (cards[i] = times[k] as number));
  }
  return done.map((s, i) => Math.max(answers[i] as number, cards[i] as number) - s.finishedAt);
}
