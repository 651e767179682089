import type { SessionsResult } from './sessions-metrics';
import { SESSION_TARGETS as T } from './settings';
import { ms, ratio, summarize, table } from './stats';

const seconds = (valueMs: number): string => (Number.isFinite(valueMs) ? (valueMs / 1000).toFixed(2) : '–');
const mib = (bytes: number): number => bytes / 1024 / 1024;

export function sessionsSettingsLine({ settings: s }: SessionsResult): string {
  return (
    `${s.count} sessions over ${s.workspaces} workspaces (${s.count / s.workspaces} each), all mentioned within ` +
    `${s.spreadMs / 1000} s; each provider session emits ${s.eventsPerSecond} events/s for ${s.seconds} s, then ` +
    `its answer; fake Slack limits per workspace and minute: ${Object.entries(s.rateLimits)
      .map(([method, limit]) => `${method} ${limit}`)
      .join(', ')}; SESSION_CONCURRENCY=${s.sessionConcurrency}.`
  );
}

interface Row {
  label: string;
  value: string;
  target: string;
  isMet: boolean;
}

function rows(r: SessionsResult): Row[] {
  const first = summarize(r.firstCallMs);
  const final = summarize(r.finalMs);
  const lag = summarize(r.storedLagMs);
  const gap = summarize(r.gapRatios);
  const limited = Object.values(r.rateLimited).reduce((sum, n) => sum + n, 0);
  const worst = r.worstGap;
  const worstText = worst
    ? ` (worst: ${seconds(worst.gapMs)} s against a fair ${seconds(worst.fairMs)} s, ${worst.teamId})`
    : '';
  return [
    {
      label: 'mention → first Slack call, p50 / p95 ms',
      value: `${ms(first.p50)} / ${ms(first.p95)}`,
      target: `p95 ≤ ${T.firstCallP95Ms}`,
      isMet: first.p95 <= T.firstCallP95Ms,
    },
    {
      label: '429s from the fake Slack',
      value: `${limited}${limited ? ` (${Object.entries(r.rateLimited).map(([m, n]) => `${m} ${n}`)})` : ''}`,
      target: String(T.rateLimited),
      isMet: limited <= T.rateLimited,
    },
    {
      label: 'longest live-card gap / fair gap, p50 / max',
      value: `${ratio(gap.p50)} / ${ratio(gap.max)}${worstText}`,
      target: `max ≤ ${T.maxGapRatio}`,
      isMet: gap.max <= T.maxGapRatio,
    },
    {
      label: 'provider idle → last Slack call, p50 / p95 s',
      value: `${seconds(final.p50)} / ${seconds(final.p95)}`,
      target: `p95 ≤ ${T.finalP95Ms / 1000}`,
      isMet: final.p95 <= T.finalP95Ms,
    },
    {
      label: 'event → stored, p50 / p95 / max ms',
      value: `${ms(lag.p50)} / ${ms(lag.p95)} / ${ms(lag.max)}`,
      target: `p95 ≤ ${T.storedLagP95Ms}`,
      isMet: lag.p95 <= T.storedLagP95Ms,
    },
    {
      label: 'Baton process RSS peak, MiB',
      value: mib(r.rssPeakBytes).toFixed(0),
      target: `≤ ${T.rssMiB}`,
      isMet: mib(r.rssPeakBytes) <= T.rssMiB,
    },
  ];
}

export function sessionsTable(r: SessionsResult): string {
  return table(
    ['Measure', 'value', 'target', 'verdict'],
    rows(r).map((row) => [row.label, row.value, row.target, row.isMet ? 'met' : 'MISSED']),
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
    `${r.providerSecondsP50.toFixed(1)} s at p50 (planned ${r.settings.seconds} s); whole part ${seconds(r.wallMs)} s.`
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
