import type { Args } from './http';

/** One request the fake Slack server answered. */
export interface SlackCall {
  /** The Web API method, or `response_url` / `upload_url` for posts to those URLs. */
  method: string;
  /** From `Authorization: Bearer`, else a `token` field. */
  token: string | undefined;
  /** Decoded body: form fields, with JSON-string fields (blocks, view, metadata, ...) parsed. */
  args: Args;
  at: number;
  path: string;
  status: number;
  ok: boolean;
  response: unknown;
}

interface Waiter {
  matches(call: SlackCall): boolean;
  resolve(): void;
}

export type CallPredicate = (call: SlackCall) => boolean;

/** Keeps every call and lets tests wait for ones that have not arrived yet (workers post asynchronously). */
export class CallRecorder {
  readonly calls: SlackCall[] = [];
  private waiters: Waiter[] = [];

  record(call: SlackCall): void {
    this.calls.push(call);
    for (const waiter of [...this.waiters]) if (waiter.matches(call)) waiter.resolve();
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  clear(): void {
    this.calls.length = 0;
  }

  /** Resolves with the first `count` matching calls, counting those already recorded. */
  waitForCalls(
    method: string,
    count: number,
    predicate: CallPredicate = () => true,
    timeoutMs = 5000,
  ): Promise<SlackCall[]> {
    const matching = () => this.calls.filter((call) => call.method === method && predicate(call));
    const found = matching();
    if (found.length >= count) return Promise.resolve(found.slice(0, count));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        matches: (call) => call.method === method && predicate(call) && matching().length >= count,
        resolve: () => {
          this.remove(waiter);
          clearTimeout(timer);
          resolve(matching().slice(0, count));
        },
      };
      const timer = setTimeout(() => {
        this.remove(waiter);
        reject(
          new Error(`fake Slack: ${count}× ${method} not seen within ${timeoutMs} ms; recorded: ${this.summary()}`),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private remove(waiter: Waiter): void {
    this.waiters = this.waiters.filter((w) => w !== waiter);
  }

  /** `chat.postMessage×2 (1 failed), views.open×1`: what a timeout message needs to be debuggable. */
  summary(): string {
    const counts = new Map<string, { total: number; failed: number }>();
    for (const call of this.calls) {
      const entry = counts.get(call.method) ?? { total: 0, failed: 0 };
      entry.total++;
      if (!call.ok) entry.failed++;
      counts.set(call.method, entry);
    }
    if (counts.size === 0) return 'nothing';
    return [...counts]
      .map(([method, { total, failed }]) => `${method}×${total}${failed > 0 ? ` (${failed} failed)` : ''}`)
      .join(', ');
  }
}
