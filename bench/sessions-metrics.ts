import type { Session, StoredEvent } from '../src/domain/sessions';
import type { SessionEvent } from '../tests/fakes/managed-agents/types';
import type { SlackCall } from '../tests/fakes/slack-api';
import { finalFloorsMs, firstSignFloorsMs, type FloorSession } from './floors';
import type { SessionsSettings } from './settings';
import { TIER_3 } from '../tests/fakes/slack/slack-limits';

/** What every bench session answers: a session counts as answered when Slack gets this post. */
export const ANSWER_TEXT = 'Bench answer.';

/** One Baton session with what Baton stored and what the fake provider emitted for it. */
export interface SessionRun {
  session: Session;
  stored: StoredEvent[];
  provider: SessionEvent[];
}

export interface SessionsResult {
  settings: SessionsSettings;
  /** Channels each workspace's sessions were spread over. */
  channels: number;
  /** Worker processes beside one web process (0: one Baton process with BATON_ROLE=all). */
  workers: number;
  started: number;
  /** Thread posts beyond one card and one answer per session (a post made twice, e.g. by two workers). */
  duplicatePosts: number;
  statuses: Record<string, number>;
  /** Sessions whose final answer reached the thread. */
  answered: number;
  firstCallMs: number[];
  /** Per session, the soonest Slack's limits would have let the first sign of life go. */
  firstSignFloorMs: number[];
  /** Per card: the longest time the live card went without an update, against its fair share of the budget. */
  gapRatios: number[];
  worstGap: { gapMs: number; fairMs: number; teamId: string } | undefined;
  maxGapsMs: number[];
  /** Provider finished → both the answer and the final card state landed; and the floor of the same. */
  finalMs: number[];
  finalFloorMs: number[];
  /** Finished sessions whose answer landed no later than their final card state. */
  answerFirst: number;
  /** Card updates that came less than a second after the previous write of the same card. */
  cardUpdatesWithinSecond: number;
  /** Per live session, the longest time without any visible progress (card, thread status or reaction). */
  progressGapsMs: number[];
  storedLagMs: number[];
  rateLimited: Record<string, number>;
  callsPerSession: Record<string, number>;
  eventsEmitted: number;
  eventsStored: number;
  /** How long each provider session took from its first to its final idle event (its events are paced). */
  providerSecondsP50: number;
  rssPeakBytes: number;
  /** Baton's RSS after it started and before the first mention. */
  rssIdleBytes: number;
  /** CPU time (user + system) Baton spent from its first mention to the end of the part, in microseconds. */
  cpuUs: number;
  wallMs: number;
}

export interface MeasureInput {
  settings: SessionsSettings;
  channels: number;
  workers: number;
  runs: SessionRun[];
  calls: readonly SlackCall[];
  /** Mention ts (= thread ts) → when the bench sent it. */
  sentAt: Map<string, number>;
  rssPeakBytes: number;
  rssIdleBytes: number;
  cpuUs: number;
  wallMs: number;
  isTerminal(session: Session): boolean;
}

const WINDOW_MS = 60_000;
/** Writes a person sees move: the card, the thread status and reactions on the mention. */
const PROGRESS_METHODS = new Set([
  'chat.update',
  'assistant.threads.setStatus',
  'agents.sessions.setStatus',
  'reactions.add',
  'reactions.remove',
]);
const processedAt = (e: SessionEvent): number => Date.parse((e as { processed_at?: string | null }).processed_at ?? '');
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Which thread a Slack call belongs to; every session has a thread of its own. */
function threadOf(call: SlackCall, threadOfCard: Map<string, string>): string | undefined {
  const { args } = call;
  // Reactions go on the mention (👀, ✅) or on the card (the pulse while it works).
  if (call.method === 'reactions.add' || call.method === 'reactions.remove') {
    const ts = str(args.timestamp) ?? '';
    return threadOfCard.get(ts) ?? ts;
  }
  if (call.method === 'chat.update') return threadOfCard.get(str(args.ts) ?? '');
  return str(args.thread_ts) ?? str(args.ts);
}

/** When the provider's last turn ended; NaN while it has not. */
function finalIdleAt(events: SessionEvent[]): number {
  const idle = events.filter((e) => e.type === 'session.status_idle').map(processedAt);
  return idle.length > 0 ? Math.max(...idle) : Number.NaN;
}

/** Gaps between successive writes of one card while it was live (from its post to the provider's final idle). */
function cardGaps(writes: number[], liveFrom: number, liveTo: number): Array<[number, number]> {
  const points = [...writes.filter((at) => at >= liveFrom && at <= liveTo), liveTo].sort((a, b) => a - b);
  return points.slice(1).map((at, i) => [points[i] as number, at]);
}

export function measureSessions(input: MeasureInput): SessionsResult {
  const { settings, runs, calls } = input;
  const perCardMinute = TIER_3.perMinute;
  const threadOfCard = new Map(runs.flatMap(({ session: s }) => (s.cardTs ? [[s.cardTs, s.threadTs] as const] : [])));
  const callsOf = new Map<string, SlackCall[]>();
  for (const call of calls) {
    const thread = threadOf(call, threadOfCard);
    if (thread) callsOf.set(thread, [...(callsOf.get(thread) ?? []), call]);
  }

  const live = runs.map(({ session, provider }) => {
    const own = callsOf.get(session.threadTs) ?? [];
    const cardPost = own.find((c) => c.method === 'chat.postMessage' && c.ok);
    const lastWrite = own.findLast((c) => c.method === 'chat.update' && c.ok && c.args.ts === session.cardTs);
    return { session, own, from: cardPost?.at ?? Number.NaN, to: finalIdleAt(provider), lastWrite: lastWrite?.at };
  });
  // A card shares the workspace's chat.update budget from its post until its last write (its final state), which
  // comes after its session finished: until then its final takes a turn like a live card's update.
  const cardsSharing = (teamId: string, from: number, to: number) =>
    live.filter((l) => l.session.teamId === teamId && l.from <= to && Math.max(l.to, l.lastWrite ?? l.to) >= from)
      .length;

  const result: SessionsResult = {
    settings,
    channels: input.channels,
    workers: input.workers,
    started: runs.length,
    duplicatePosts: 0,
    statuses: {},
    answered: 0,
    firstCallMs: [],
    firstSignFloorMs: [],
    gapRatios: [],
    worstGap: undefined,
    maxGapsMs: [],
    finalMs: [],
    finalFloorMs: [],
    answerFirst: 0,
    cardUpdatesWithinSecond: 0,
    progressGapsMs: [],
    storedLagMs: [],
    rateLimited: {},
    callsPerSession: {},
    eventsEmitted: 0,
    eventsStored: 0,
    providerSecondsP50: Number.NaN,
    rssPeakBytes: input.rssPeakBytes,
    rssIdleBytes: input.rssIdleBytes,
    cpuUs: input.cpuUs,
    wallMs: input.wallMs,
  };
  let worstRatio = 0;
  for (const { session, own, from, to } of live) {
    result.statuses[session.status] = (result.statuses[session.status] ?? 0) + 1;
    if (own.some((c) => c.method === 'chat.postMessage' && c.ok && c.args.text === ANSWER_TEXT)) result.answered++;
    result.duplicatePosts += Math.max(0, own.filter((c) => c.method === 'chat.postMessage' && c.ok).length - 2);
    const sent = input.sentAt.get(session.threadTs);
    const first = own.find((c) => c.ok && (c.method === 'reactions.add' || c.method === 'chat.postMessage'));
    if (sent !== undefined && first) result.firstCallMs.push(first.at - sent);
    if (Number.isFinite(to) && Number.isFinite(from)) {
      const writes = own.filter((c) => c.ok && c.method === 'chat.update' && c.args.ts === session.cardTs);
      let maxGap = 0;
      let maxRatio = 0;
      for (const [a, b] of cardGaps([from, ...writes.map((c) => c.at)], from, to)) {
        const fairMs = (WINDOW_MS / perCardMinute) * Math.max(1, cardsSharing(session.teamId, a, b));
        maxGap = Math.max(maxGap, b - a);
        maxRatio = Math.max(maxRatio, (b - a) / fairMs);
        if ((b - a) / fairMs > worstRatio) {
          worstRatio = (b - a) / fairMs;
          result.worstGap = { gapMs: b - a, fairMs, teamId: session.teamId };
        }
      }
      result.maxGapsMs.push(maxGap);
      result.gapRatios.push(maxRatio);
      const visible = own.filter((c) => c.ok && PROGRESS_METHODS.has(c.method)).map((c) => c.at);
      result.progressGapsMs.push(Math.max(0, ...cardGaps([from, ...visible], from, to).map(([a, b]) => b - a)));
      const answer = own.find((c) => c.ok && c.method === 'chat.postMessage' && c.at > from && c.args.thread_ts);
      const finalCard = writes.at(-1);
      if (input.isTerminal(session) && answer && finalCard) {
        result.finalMs.push(Math.max(answer.at, finalCard.at) - to);
        if (answer.at <= finalCard.at) result.answerFirst++;
      }
      const cardWrites = [from, ...writes.map((c) => c.at)];
      result.cardUpdatesWithinSecond += cardWrites.filter(
        (at, i) => i > 0 && at - (cardWrites[i - 1] as number) < 1_000,
      ).length;
    }
  }
  const floorSessions: FloorSession[] = live.map(({ session, to }) => ({
    teamId: session.teamId,
    channelId: session.channelId,
    sentAt: input.sentAt.get(session.threadTs) ?? Number.NaN,
    finishedAt: input.isTerminal(session) ? to : Number.NaN,
  }));
  result.firstSignFloorMs = firstSignFloorsMs(floorSessions.filter((f) => Number.isFinite(f.sentAt)));
  result.finalFloorMs = finalFloorsMs(floorSessions);

  for (const call of calls) {
    if (call.status === 429) result.rateLimited[call.method] = (result.rateLimited[call.method] ?? 0) + 1;
    result.callsPerSession[call.method] = (result.callsPerSession[call.method] ?? 0) + 1 / Math.max(1, runs.length);
  }

  const durations: number[] = [];
  for (const { stored, provider } of runs) {
    const emitted = new Map(provider.map((e) => [e.id, processedAt(e)]));
    result.eventsEmitted += provider.length;
    result.eventsStored += stored.length;
    for (const row of stored) {
      const at = emitted.get(row.id);
      if (at !== undefined && Number.isFinite(at)) result.storedLagMs.push(row.at.getTime() - at);
    }
    const times = provider.map(processedAt).filter(Number.isFinite);
    if (times.length > 1) durations.push((finalIdleAt(provider) - Math.min(...times)) / 1000);
  }
  durations.sort((a, b) => a - b);
  result.providerSecondsP50 = durations[Math.floor(durations.length / 2)] ?? Number.NaN;
  return result;
}
