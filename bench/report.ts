import { targetNames, type AckResults, type TargetName } from './ack-bench';
import type { Machine } from './machine';
import type { PickupResult } from './pickup';
import { KIND_LABEL, kinds } from './requests';
import { TARGETS, type AckRole, type BenchSettings } from './settings';
import { ms, ratio, summarize, table } from './stats';

export interface Report {
  date: Date;
  machine: Machine;
  settings: BenchSettings;
  /** Baton's BATON_ROLE in this ack run (`web` with its worker in a process of its own). */
  role: AckRole;
  ack: AckResults;
  pickup: PickupResult;
}

const TARGET_LABEL: Record<TargetName, string> = { baton: 'Baton', bare: 'bare Bolt' };

export function ackTable({ ack }: Report): string {
  const rows = kinds.flatMap((kind) =>
    targetNames.map((name) => {
      const r = ack[kind][name];
      const s = summarize(r.latenciesMs);
      return [
        `${KIND_LABEL[kind]} → ${TARGET_LABEL[name]}`,
        String(r.sent),
        String(r.failures),
        ms(s.p50),
        ms(s.p99),
        ms(s.max),
        ms(r.cpuUs / 1000 / Math.max(1, r.sent)),
        ms(r.loopDelayP99Ms),
        `${Math.round((100 * r.machineBusyMs) / Math.max(1, r.machineTotalMs))}%`,
      ];
    }),
  );
  const header = [
    'Request → target',
    'sent',
    'failed',
    'p50 ms',
    'p99 ms',
    'max ms',
    'CPU ms/req',
    'loop p99 ms',
    'machine CPU',
  ];
  return table(header, rows);
}

/** How often the quiet gate gave up: those segments ran while other work kept the machine busy. */
export function quietLine({ ack, settings }: Report): string {
  const all = kinds.flatMap((kind) => targetNames.map((name) => ack[kind][name]));
  const busy = all.reduce((sum, r) => sum + r.busyStarts, 0);
  const total = all.reduce((sum, r) => sum + r.segments, 0);
  const gate = `each segment waited for the machine to be under ${settings.quietPercent}% busy`;
  return busy === 0
    ? `Quiet gate: ${gate}; all ${total} segments got a quiet start.`
    : `Quiet gate: ${gate}; ${busy} of ${total} segments started anyway after ${settings.quietWaitMs / 1000} s of waiting, so other work on the machine is in those numbers.`;
}

/**
 * Baton against bare Bolt per kind, and which targets each kind misses: with BATON_ROLE=web (the worker elsewhere) the
 * ack is held to bare Bolt's p99 × 1.3; with `all` (the worker's jobs on the same two cores) to 25 ms.
 */
export function verdicts({ ack, role }: Report) {
  return kinds.map((kind) => {
    const baton = summarize(ack[kind].baton.latenciesMs);
    const bare = summarize(ack[kind].bare.latenciesMs);
    const p99Ratio = baton.p99 / bare.p99;
    const misses = [
      ...(role === 'web' && p99Ratio > TARGETS.maxP99Ratio
        ? [`p99 ratio ${ratio(p99Ratio)} > ${TARGETS.maxP99Ratio}`]
        : []),
      ...(role === 'all' && baton.p99 > TARGETS.maxP99Ms ? [`p99 ${ms(baton.p99)} ms > ${TARGETS.maxP99Ms} ms`] : []),
      ...(ack[kind].baton.failures > 0 ? [`${ack[kind].baton.failures} failed requests`] : []),
    ];
    return { kind, p50Ratio: baton.p50 / bare.p50, p99Ratio, batonP99: baton.p99, misses };
  });
}

export function ratioTable(report: Report): string {
  const rows = verdicts(report).map((v) => [
    KIND_LABEL[v.kind],
    ratio(v.p50Ratio),
    ratio(v.p99Ratio),
    ms(v.batonP99),
    v.misses.length === 0 ? 'met' : `MISSED: ${v.misses.join('; ')}`,
  ]);
  const goal =
    report.role === 'web' ? `target (p99 ratio ≤ ${TARGETS.maxP99Ratio})` : `target (p99 ≤ ${TARGETS.maxP99Ms} ms)`;
  return table(['Request', 'p50 Baton/bare', 'p99 Baton/bare', 'Baton p99 ms', goal], rows);
}

export function pickupTable({ pickup }: Report): string {
  const wait = summarize(pickup.pickupMs);
  const add = summarize(pickup.addMs);
  return table(
    ['Enqueue → pick-up', 'jobs', 'lost', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    [
      [
        'enqueue → processor start',
        String(wait.count),
        String(pickup.lost),
        ...[wait.p50, wait.p95, wait.p99, wait.max].map(ms),
      ],
      ['queue.add round trip', String(add.count), '–', ...[add.p50, add.p95, add.p99, add.max].map(ms)],
    ],
  );
}

export function machineLines({ machine, date }: Pick<Report, 'machine' | 'date'>): string[] {
  return [
    `- Date: ${date.toISOString().replace(/\.\d+Z$/, 'Z')}; Baton ${machine.revision}`,
    `- CPU: ${machine.cpu}, ${machine.cores} cores; RAM ${machine.ramGiB} GiB`,
    `- OS: ${machine.os}`,
    `- Node ${machine.node}; Redis ${machine.redis}; PostgreSQL ${machine.postgres} (all on this machine)`,
    `- Machine CPU busy before the run (other work): ${machine.backgroundCpuPercent}%`,
  ];
}

export const roleLabel = (role: AckRole): string =>
  role === 'web'
    ? 'BATON_ROLE=web, its worker in a process of its own'
    : 'BATON_ROLE=all (web and worker in one process)';

export function settingsLine({ settings: s, role }: Report): string {
  return (
    `${s.rps} requests/s per target, ${s.seconds} s per target and request kind in ${s.segmentSeconds} s segments ` +
    `(after ${s.warmupSeconds} s of warm-up each); ${s.jobs} jobs at ${s.jobRps}/s, worker concurrency ` +
    `${s.workerConcurrency}; Baton with ${roleLabel(role)}.`
  );
}

/** What `npm run bench` prints. */
export function renderStdout(report: Report): string {
  return [
    '',
    ...machineLines(report),
    `- ${settingsLine(report)}`,
    '',
    ackTable(report),
    quietLine(report),
    '',
    ratioTable(report),
    '',
    pickupTable(report),
    '',
  ].join('\n');
}
