import { setFlagsFromString } from 'node:v8';

/** How far the old generation may grow past what survived the last full collection before the next one. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * V8 lets the old generation grow up to four times what survived its last full collection before collecting again.
 * Sessions' short-lived data (event batches, stream buffers, Slack calls) lives through a scavenge or two and dies in
 * the old generation, so with 200 sessions 60 MiB of live data grew to a 230 MiB heap (process RSS 345–362 MiB) before
 * a full collection. Growing by half instead keeps the process near 215 MiB for no CPU the bench can tell apart. A flag
 * the operator passed to Node wins.
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent') || arg.startsWith('--heap_growing_percent')))
    return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
