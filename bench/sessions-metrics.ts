import type { Session, StoredEvent } from '../src/domain/sessions';
import type { SessionEvent } from '../tests/fakes/managed-agents/types';
import type { SlackCall } from '../tests/fakes/slack-api';
import type { SessionsSettings } from './settings';

/** One Baton session with what Baton stored and what the fake provider emitted for it. */
export interface SessionRun {
  session: Session;
  stored: StoredEvent[];
  provider: SessionEvent[];
}

export interface SessionsResult {
  settings: SessionsSettings;
  started: number;
  statuses: Record<string, number>;
  /** Sessions whose final answer reached the thread. */
  answered: number;
  firstCallMs: number[];
  /** Per card: the longest time the live card went without an update, against its fair share of the budget. */
  gapRatios: number[];
  worstGap: { gapMs: number; fairMs: number; teamId: string } | undefined;
  maxGapsMs: number[];
  finalMs: number[];
  storedLagMs: number[];
  rateLimited: Record<string, number>;
  callsPerSession: Record<string, number>;
  eventsEmitted: number;
  eventsStored: number;
  /** How long each provider session took from its first to its final idle event (its events are paced). */
  providerSecondsP50: number;
  rssPeakBytes: number;
  wallMs: number;
}

export interface MeasureInput {
  settings: SessionsSettings;
  runs: SessionRun[];
  calls: readonly SlackCall[];
  /** Mention ts (= thread ts) → when the bench sent it. */
  sentAt: Map<string, number>;
  rssPeakBytes: number;
  wallMs: number;
  isTerminal(session: Session): boolean;
}

const WINDOW_MS = 60_000;
const processedAt = (e: SessionEvent): number => Date.parse((e as { processed_at?: string | null }).processed_at ?? '');
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Which thread a Slack call belongs to; every session has a thread of its own. */
function threadOf(call: SlackCall, threadOfCard: Map<string, string>): string | undefined {
  const { args } = call;
  if (call.method === 'reactions.add' || call.method === 'reactions.remove') return str(args.timestamp);
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
  const perCardMinute = settings.rateLimits['chat.update'] ?? 50;
  const threadOfCard = new Map(runs.flatMap(({ session: s }) => (s.cardTs ? [[s.cardTs, s.threadTs] as const] : [])));
  const callsOf = new Map<string, SlackCall[]>();
  for (const call of calls) {
    const thread = threadOf(call, threadOfCard);
    if (thread) callsOf.set(thread, [...(callsOf.get(thread) ?? []), call]);
  }

  const live = runs.map(({ session, provider }) => {
    const own = callsOf.get(session.threadTs) ?? [];
    const cardPost = own.find((c) => c.method === 'chat.postMessage' && c.ok);
    return { session, own, from: cardPost?.at ?? Number.NaN, to: finalIdleAt(provider) };
  });
  const liveCards = (teamId: string, from: number, to: number) =>
    live.filter((l) => l.session.teamId === teamId && l.from <= to && l.to >= from).length;

  const result: SessionsResult = {
    settings,
    started: runs.length,
    statuses: {},
    answered: 0,
    firstCallMs: [],
    gapRatios: [],
    worstGap: undefined,
    maxGapsMs: [],
    finalMs: [],
    storedLagMs: [],
    rateLimited: {},
    callsPerSession: {},
    eventsEmitted: 0,
    eventsStored: 0,
    providerSecondsP50: Number.NaN,
    rssPeakBytes: input.rssPeakBytes,
    wallMs: input.wallMs,
  };
  let worstRatio = 0;
  for (const { session, own, from, to } of live) {
    result.statuses[session.status] = (result.statuses[session.status] ?? 0) + 1;
    if (own.some((c) => c.method === 'chat.postMessage' && c.ok && c.args.text === 'Bench answer.')) result.answered++;
    const sent = input.sentAt.get(session.threadTs);
    const first = own.find((c) => c.method === 'reactions.add' || c.method === 'chat.postMessage');
    if (sent !== undefined && first) result.firstCallMs.push(first.at - sent);
    if (Number.isFinite(to) && Number.isFinite(from)) {
      const writes = own.filter((c) => c.ok && c.method === 'chat.update' && c.args.ts === session.cardTs);
      let maxGap = 0;
      let maxRatio = 0;
      for (const [a, b] of cardGaps([from, ...writes.map((c) => c.at)], from, to)) {
        const fairMs = (WINDOW_MS / perCardMinute) * Math.max(1, liveCards(session.teamId, a, b));
        maxGap = Math.max(maxGap, b - a);
        maxRatio = Math.max(maxRatio, (b - a) / fairMs);
        if ((b - a) / fairMs > worstRatio) {
          worstRatio = (b - a) / fairMs;
          result.worstGap = { gapMs: b - a, fairMs, teamId: session.teamId };
        }
      }
      result.maxGapsMs.push(maxGap);
      result.gapRatios.push(maxRatio);
      if (input.isTerminal(session) && own.length > 0) result.finalMs.push(Math.max(...own.map((c) => c.at)) - to);
    }
  }

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
