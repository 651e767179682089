import { setFlagsFromString } from 'node:v8';
import type { Config } from '../config';

/** How far the old generation may grow past what survived the last full collection before the next one. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * V8 lets the old generation grow up to four times what survived its last full collection before collecting again.
 * Sessions' short-lived data (event batches, stream buffers, Slack calls) lives through a scavenge or two and dies in
 * the old generation, so with 200 sessions 60 MiB of live data grew to a 230 MiB heap (process RSS 345–362 MiB) before
 * a full collection. Growing by half instead keeps the process near 215 MiB for no CPU the bench can tell apart. A flag
 * the operator passed to Node wins.
 *
 * A web process (`BATON_ROLE=web`) runs no sessions and keeps little, so it is left to V8: bound there, the data of
 * requests in flight reached the old generation often enough for full collections to sit in the way of its acks (ack
 * p99 15.7 and 16.7 ms against 7.2 and 6.0 ms unbound, in one quick run of the ack bench each).
 */
export function boundHeapGrowth(role: Config['role'], execArgv: readonly string[] = process.execArgv): void {
  if (role === 'web') return;
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent') || arg.startsWith('--heap_growing_percent')))
    return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
