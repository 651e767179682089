import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { runOpenLoop, type LoadResult } from './load';
import { machineCpuTimes, waitForQuiet, type CpuTimes } from './machine';
import type { Child, Sample } from './processes';
import { buildRequest, kinds, type Kind } from './requests';
import type { BenchSettings } from './settings';

export const targetNames = ['baton', 'bare'] as const;
export type TargetName = (typeof targetNames)[number];

export interface AckTarget {
  name: TargetName;
  child: Child;
  /** Keep-alive pool to this target only. */
  dispatcher: Dispatcher;
}

/** `settleMs` is the pause after each segment, so work a target does after acking (Baton's jobs) ends first. */
export type AckSettings = Pick<
  BenchSettings,
  'rps' | 'seconds' | 'segmentSeconds' | 'warmupSeconds' | 'settleMs' | 'quietPercent' | 'quietWaitMs'
> & { fakeSlack: Child };

export interface KindResult {
  latenciesMs: number[];
  sent: number;
  failures: number;
  firstFailure: string | undefined;
  maxSendLagMs: number;
  /** CPU the target process used during its segments (settle pauses included), in microseconds. */
  cpuUs: number;
  /** The target's worst event-loop delay p99 over its segments, and its max. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** CPU time of the whole machine (every process, all cores) while this target was loaded. */
  machineBusyMs: number;
  machineTotalMs: number;
  segments: number;
  /** Segments that started although other work kept the machine busy for the whole `quietWaitMs`. */
  busyStarts: number;
}

export type AckResults = Record<Kind, Record<TargetName, KindResult>>;

const emptyResult = (): KindResult => ({
  latenciesMs: [],
  sent: 0,
  failures: 0,
  firstFailure: undefined,
  maxSendLagMs: 0,
  cpuUs: 0,
  loopDelayP99Ms: 0,
  loopDelayMaxMs: 0,
  machineBusyMs: 0,
  machineTotalMs: 0,
  segments: 0,
  busyStarts: 0,
});

/** Segment lengths in ms adding up to `seconds`, e.g. 30 s in 2 s segments gives fifteen. */
function segmentPlan(seconds: number, segmentSeconds: number): number[] {
  const plan: number[] = [];
  for (let left = seconds; left > 0; left -= segmentSeconds) plan.push(Math.min(left, segmentSeconds) * 1000);
  return plan;
}

/** Adds one segment's measurements to the running totals of its target and kind. */
function accumulate(into: KindResult, load: LoadResult, child: [Sample, Sample], machine: [CpuTimes, CpuTimes]) {
  const [before, after] = child;
  const [cpuBefore, cpuAfter] = machine;
  into.latenciesMs.push(...load.latenciesMs);
  into.sent += load.sent;
  into.failures += load.failures;
  into.firstFailure ??= load.firstFailure;
  into.maxSendLagMs = Math.max(into.maxSendLagMs, load.maxSendLagMs);
  into.cpuUs += after.cpuUs - before.cpuUs;
  into.loopDelayP99Ms = Math.max(into.loopDelayP99Ms, after.loopDelayP99Ms);
  into.loopDelayMaxMs = Math.max(into.loopDelayMaxMs, after.loopDelayMaxMs);
  into.machineTotalMs += cpuAfter.totalMs - cpuBefore.totalMs;
  into.machineBusyMs += cpuAfter.totalMs - cpuBefore.totalMs - (cpuAfter.idleMs - cpuBefore.idleMs);
  into.segments += 1;
}

/**
 * Drives both targets with the same open-loop load, one at a time, alternating in segments (A B, B A, A B, …) so
 * drift on the machine (other load, Redis or PostgreSQL housekeeping, JIT warm-up) hits both alike.
 */
export async function runAckBench(
  targets: readonly AckTarget[],
  settings: AckSettings,
  log: (line: string) => void,
): Promise<AckResults> {
  const results = Object.fromEntries(
    kinds.map((kind) => [kind, Object.fromEntries(targetNames.map((name) => [name, emptyResult()]))]),
  ) as AckResults;
  const responseOrigin = settings.fakeSlack.origin ?? '';

  const drive = (target: AckTarget, kind: Kind, durationMs: number) =>
    runOpenLoop({
      url: `${target.child.url}/slack/events`,
      rps: settings.rps,
      durationMs,
      dispatcher: target.dispatcher,
      build: () => buildRequest(kind, responseOrigin),
    });

  const segment = async (target: AckTarget, kind: Kind, durationMs: number) => {
    await settings.fakeSlack.reset();
    const isQuiet = await waitForQuiet(settings.quietPercent, settings.quietWaitMs);
    const before = await target.child.sample();
    const cpuBefore = machineCpuTimes();
    const load = await drive(target, kind, durationMs);
    const cpuAfter = machineCpuTimes();
    await sleep(settings.settleMs);
    const into = results[kind][target.name];
    accumulate(into, load, [before, await target.child.sample()], [cpuBefore, cpuAfter]);
    if (!isQuiet) into.busyStarts += 1;
  };

  for (const kind of kinds) {
    for (const target of targets) {
      const warmup = await drive(target, kind, settings.warmupSeconds * 1000);
      if (warmup.failures > 0) throw new Error(`${target.name} failed during warm-up: ${warmup.firstFailure}`);
      await sleep(settings.settleMs);
    }
    const plan = segmentPlan(settings.seconds, settings.segmentSeconds);
    for (const [index, durationMs] of plan.entries()) {
      for (const target of index % 2 === 0 ? targets : [...targets].reverse()) await segment(target, kind, durationMs);
      if ((index + 1) % 5 === 0 || index + 1 === plan.length)
        log(`  ${kind}: ${index + 1}/${plan.length} segment pairs`);
    }
  }
  return results;
}
