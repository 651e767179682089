import { FakeApiError } from './errors';

export interface FailureSpec {
  /** Omit to only delay (e.g. past the client's timeout) and then answer normally. */
  status?: number;
  /** Defaults from the status: 429 rate_limit_error, 500 api_error, 529 overloaded_error, … */
  type?: string;
  message?: string;
  errorCode?: string;
  /** Sends `retry-after-ms` and `retry-after` (seconds, rounded up). */
  retryAfterMs?: number;
  delayMs?: number;
  /** Does the work, then answers only this much later (a caller killed meanwhile never learns the result). */
  answerAfterMs?: number;
  /** Drops the connection instead of answering: the client sees a network failure, not a status. */
  dropConnection?: boolean;
  /** Sets `x-should-retry`; leave unset to let the SDK apply its own retry rules. */
  shouldRetry?: boolean;
  method?: 'GET' | 'POST' | 'DELETE';
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Only requests this accepts (e.g. one Baton session's create among many, by its parsed body). */
  isFor?: (request: { path: string; body: unknown }) => boolean;
}

interface Armed {
  pattern: string | RegExp;
  spec: FailureSpec;
  remaining: number;
}

/** A string pattern matches the whole path, with `*` standing for one path segment. */
function matches(pattern: string | RegExp, path: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(path);
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}$`).test(path);
}

export class FailureInjector {
  private armed: Armed[] = [];

  add(pattern: string | RegExp, spec: FailureSpec): void {
    this.armed.push({ pattern, spec, remaining: spec.times ?? 1 });
  }

  take(method: string, path: string, body?: unknown): FailureSpec | undefined {
    const found = this.armed.find(
      (a) =>
        (!a.spec.method || a.spec.method === method) &&
        matches(a.pattern, path) &&
        (!a.spec.isFor || a.spec.isFor({ path, body })),
    );
    if (!found) return undefined;
    found.remaining -= 1;
    if (found.remaining <= 0) this.armed.splice(this.armed.indexOf(found), 1);
    return found.spec;
  }

  clear(): void {
    this.armed = [];
  }
}

export function failureError(spec: FailureSpec & { status: number }): FakeApiError {
  const headers: Record<string, string> = {};
  if (spec.retryAfterMs !== undefined) {
    headers['retry-after-ms'] = String(spec.retryAfterMs);
    headers['retry-after'] = String(Math.ceil(spec.retryAfterMs / 1000));
  }
  return new FakeApiError(spec.status, spec.message ?? `Fake injected ${spec.status}`, {
    ...(spec.type ? { type: spec.type } : {}),
    ...(spec.errorCode ? { errorCode: spec.errorCode } : {}),
    ...(spec.shouldRetry !== undefined ? { shouldRetry: spec.shouldRetry } : {}),
    headers,
  });
}
