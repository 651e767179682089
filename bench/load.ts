import { performance } from 'node:perf_hooks';
import { request, type Dispatcher } from 'undici';
import type { SignedRequest } from './requests';

export interface LoadOptions {
  /** Full URL, e.g. `http://127.0.0.1:1234/slack/events`. */
  url: string;
  rps: number;
  durationMs: number;
  /** Keep-alive connection pool to the target (an undici Agent). */
  dispatcher: Dispatcher;
  build: () => SignedRequest;
}

export interface LoadResult {
  /** Send (just before the request is written) to the end of the response body, per successful request. */
  latenciesMs: number[];
  sent: number;
  /** Non-200 answers and transport errors; their latencies are not in `latenciesMs`. */
  failures: number;
  firstFailure: string | undefined;
  /** How late the generator sent compared to its schedule (its own event loop's delay), worst case. */
  maxSendLagMs: number;
}

/**
 * Open-loop load: request i is due at start + i / rps, whatever happened to earlier ones, so a slow target
 * builds up a queue (and the latency shows it) instead of slowing the generator down.
 */
export function runOpenLoop({ url, rps, durationMs, dispatcher, build }: LoadOptions): Promise<LoadResult> {
  const total = Math.max(1, Math.round((rps * durationMs) / 1000));
  const intervalMs = 1000 / rps;
  const result: LoadResult = { latenciesMs: [], sent: 0, failures: 0, firstFailure: undefined, maxSendLagMs: 0 };
  const inFlight: Promise<void>[] = [];

  const send = async (): Promise<void> => {
    const { body, headers } = build();
    const startedAt = performance.now();
    try {
      const response = await request(url, { method: 'POST', headers, body, dispatcher });
      const text = await response.body.text();
      const elapsedMs = performance.now() - startedAt;
      if (response.statusCode === 200) result.latenciesMs.push(elapsedMs);
      else fail(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
    } catch (error) {
      fail((error as Error).message);
    }
  };
  const fail = (reason: string) => {
    result.failures += 1;
    result.firstFailure ??= reason;
  };

  return new Promise((resolve) => {
    const startedAt = performance.now();
    const tick = () => {
      const now = performance.now();
      while (result.sent < total && startedAt + result.sent * intervalMs <= now) {
        result.maxSendLagMs = Math.max(result.maxSendLagMs, now - (startedAt + result.sent * intervalMs));
        result.sent += 1;
        inFlight.push(send());
      }
      if (result.sent < total) {
        setTimeout(tick, Math.max(0, startedAt + result.sent * intervalMs - performance.now()));
      } else {
        void Promise.all(inFlight).then(() => resolve(result));
      }
    };
    tick();
  });
}
