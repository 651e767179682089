import { firstSignRatio, ratioToFloor } from './floors';
import type { SessionsResult } from './sessions-metrics';
import { SESSION_TARGETS as T, WARM_UP_SECONDS } from './settings';
import { ms, ratio, summarize, table } from './stats';

const seconds = (valueMs: number): string => (Number.isFinite(valueMs) ? (valueMs / 1000).toFixed(2) : '–');
const mib = (bytes: number): number => bytes / 1024 / 1024;

export function sessionsSettingsLine(r: SessionsResult): string {
  const s = r.settings;
  return (
    `${s.count} sessions over ${s.workspaces} workspaces (${s.count / s.workspaces} each), all mentioned within ` +
    `${s.spreadMs / 1000} s; each provider session emits ${s.eventsPerSecond} events/s for ${s.seconds} s, then ` +
    `its answer; sessions of a workspace spread over ${r.channels} channel(s); the fake Slack enforces Slack's ` +
    `published limits (Tier 3 chat.update 50/min per workspace, chat.postMessage 1/s per channel and 300/min per ` +
    `workspace, bursts allowed); SESSION_CONCURRENCY=${s.sessionConcurrency}; ` +
    `${s.database === 'pglite' ? 'the embedded PGlite (no DATABASE_URL, a fresh DATA_DIR)' : 'PostgreSQL'}` +
    (r.workers ? `; one web and ${r.workers} worker processes on the same Redis and PostgreSQL` : '') +
    (s.warmUpSessions
      ? `; measured after ${s.warmUpSessions} warm-up sessions of ${WARM_UP_SECONDS} s in a workspace of their own.`
      : '; measured from a cold start (no warm-up).')
  );
}

interface Row {
  label: string;
  value: string;
  /** What Slack's limits allow at best in this run, where they bound the measure. */
  floor: string;
  ratio: string;
  target: string;
  isMet: boolean;
}

const NO_FLOOR = { floor: '–', ratio: '–' };

function rows(r: SessionsResult): Row[] {
  const first = summarize(r.firstCallMs);
  const firstFloor = summarize(r.firstSignFloorMs);
  const final = summarize(r.finalMs);
  const finalFloor = summarize(r.finalFloorMs);
  const firstRatio = firstSignRatio(first.p95, firstFloor.p95, T.firstCallP95Ms);
  const finalRatio = ratioToFloor(final.p95, finalFloor.p95);
  const lag = summarize(r.storedLagMs);
  const gap = summarize(r.gapRatios);
  const progress = summarize(r.progressGapsMs);
  const rssTarget = r.settings.database === 'pglite' ? T.pgliteRssMiB : T.rssMiB;
  const limited = Object.values(r.rateLimited).reduce((sum, n) => sum + n, 0);
  const worst = r.worstGap;
  const worstText = worst
    ? ` (worst: ${seconds(worst.gapMs)} s against a fair ${seconds(worst.fairMs)} s, ${worst.teamId})`
    : '';
  return [
    {
      label: 'mention → first sign of life (👀 or card), p50 / p95 ms',
      value: `${ms(first.p50)} / ${ms(first.p95)}`,
      floor: `p95 ${ms(firstFloor.p95)}`,
      ratio: ratio(firstRatio),
      target: `p95 ≤ floor + ${T.firstCallP95Ms}`,
      isMet: firstRatio <= 1,
    },
    {
      label: 'provider finished → answer and final card, p50 / p95 s',
      value: `${seconds(final.p50)} / ${seconds(final.p95)}`,
      floor: `p95 ${seconds(finalFloor.p95)}`,
      ratio: ratio(finalRatio),
      target: `p95 ≤ ${T.finalP95FloorRatio} × floor`,
      isMet: finalRatio <= T.finalP95FloorRatio,
    },
    {
      label: 'posts made twice (beyond one card and one answer per session)',
      value: String(r.duplicatePosts),
      ...NO_FLOOR,
      target: '0',
      isMet: r.duplicatePosts === 0,
    },
    {
      label: 'answer landed before the final card',
      value: `${r.answerFirst} of ${r.finalMs.length}`,
      ...NO_FLOOR,
      target: 'all',
      isMet: r.answerFirst === r.finalMs.length,
    },
    {
      label: 'longest live-card gap / fair gap, p50 / max',
      value: `${ratio(gap.p50)} / ${ratio(gap.max)}${worstText}`,
      floor: 'fair share',
      ratio: ratio(gap.max),
      target: `max ≤ ${T.maxGapRatio}`,
      isMet: gap.max <= T.maxGapRatio,
    },
    {
      label: 'card writes within a second of the previous one',
      value: String(r.cardUpdatesWithinSecond),
      ...NO_FLOOR,
      target: String(T.cardUpdatesWithinSecond),
      isMet: r.cardUpdatesWithinSecond <= T.cardUpdatesWithinSecond,
    },
    {
      label: 'longest time without visible progress, p95 / max s',
      value: `${seconds(progress.p95)} / ${seconds(progress.max)}`,
      ...NO_FLOOR,
      target: `max ≤ ${T.progressGapMs / 1000}`,
      isMet: progress.max <= T.progressGapMs,
    },
    {
      label: '429s from the fake Slack',
      value: `${limited}${limited ? ` (${Object.entries(r.rateLimited).map(([m, n]) => `${m} ${n}`)})` : ''}`,
      ...NO_FLOOR,
      target: String(T.rateLimited),
      isMet: limited <= T.rateLimited,
    },
    {
      label: 'event → stored, p50 / p95 / max ms',
      value: `${ms(lag.p50)} / ${ms(lag.p95)} / ${ms(lag.max)}`,
      ...NO_FLOOR,
      target: `p95 ≤ ${T.storedLagP95Ms}`,
      isMet: lag.p95 <= T.storedLagP95Ms,
    },
    {
      label: r.workers
        ? 'largest Baton process RSS idle (before the first mention), MiB'
        : 'Baton process RSS idle (before the first mention), MiB',
      value: mib(r.rssIdleBytes).toFixed(0),
      ...NO_FLOOR,
      target: '–',
      isMet: true,
    },
    {
      label: r.workers ? 'largest Baton process RSS peak, MiB' : 'Baton process RSS peak, MiB',
      value: mib(r.rssPeakBytes).toFixed(0),
      ...NO_FLOOR,
      target: r.settings.database === 'pglite' ? `≤ ${rssTarget} (30 sessions)` : `≤ ${rssTarget}`,
      isMet: mib(r.rssPeakBytes) <= rssTarget,
    },
  ];
}

export function sessionsTable(r: SessionsResult): string {
  return table(
    ['Measure', 'Baton', 'floor', 'ratio', 'target', 'verdict'],
    rows(r).map((row) => [row.label, row.value, row.floor, row.ratio, row.target, row.isMet ? 'met' : 'MISSED']),
  );
}

export function sessionsMisses(r: SessionsResult): string[] {
  return rows(r)
    .filter((row) => !row.isMet)
    .map((row) => `${row.label}: ${row.value} (target ${row.target})`);
}

export function sessionsOutcomeLine(r: SessionsResult): string {
  const statuses = Object.entries(r.statuses)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  return (
    `${r.started} of ${r.settings.count} sessions started (${statuses}); ${r.answered} final answers posted; ` +
    `${r.eventsEmitted} provider events emitted, ${r.eventsStored} stored; provider sessions lasted ` +
    `${r.providerSecondsP50.toFixed(1)} s at p50 (planned ${r.settings.seconds} s); whole part ${seconds(r.wallMs)} s; ` +
    `Baton used ${(r.cpuUs / 1e6).toFixed(1)} s of CPU from the first mention on ` +
    `(${(r.cpuUs / Math.max(1, r.eventsStored)).toFixed(0)} µs per stored event, all its work included).`
  );
}

export function callsTable(r: SessionsResult): string {
  const entries = Object.entries(r.callsPerSession).sort(([, a], [, b]) => b - a);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return table(
    ['Slack method', 'calls per session'],
    [...entries.map(([method, n]) => [method, n.toFixed(2)]), ['all', total.toFixed(2)]],
  );
}

/** The per-card gaps behind the ratio, for a reader who wants seconds. */
export function gapLine(r: SessionsResult): string {
  const gaps = summarize(r.maxGapsMs);
  return `Longest gap per live card: p50 ${seconds(gaps.p50)} s, p95 ${seconds(gaps.p95)} s, max ${seconds(gaps.max)} s.`;
}

export function renderSessionsStdout(r: SessionsResult): string {
  return [
    '',
    `- ${sessionsSettingsLine(r)}`,
    `- ${sessionsOutcomeLine(r)}`,
    '',
    sessionsTable(r),
    gapLine(r),
    '',
    callsTable(r),
    '',
  ].join('\n');
}
