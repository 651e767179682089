import { SlackLimits } from './slack-limits';

/** A scripted answer for the next call to one method. */
export interface ScriptedFailure {
  /** Slack error code; defaults to `ratelimited` for 429, `internal_error` for 5xx, else `fatal_error`. */
  error?: string;
  /** HTTP status; defaults to 429 when `retryAfterSec` is set, else 200 (an `{ok:false}` answer). */
  status?: number;
  retryAfterSec?: number;
}

export interface RateLimits {
  /** Calls allowed per method per token in any 60 s window; `'*'` applies to methods not listed. */
  perMethodPerTeamPerMinute?: Record<string, number>;
  /** Slack's published limits (tiers per method and workspace, posts per channel), see `slack-limits.ts`. */
  isPublished?: boolean;
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const WINDOW_MS = 60_000;

export const rateLimited = (retryAfterSec: number): Reply => ({
  status: 429,
  body: { ok: false, error: 'ratelimited' },
  headers: { 'retry-after': String(retryAfterSec) },
});

/** Decides, before a method runs, whether the call fails: first scripted failures, then the rate-limit window. */
export class Throttle {
  private readonly scripted = new Map<string, ScriptedFailure[]>();
  private readonly windows = new Map<string, number[]>();
  private readonly published = new SlackLimits();

  constructor(private readonly limits: RateLimits = {}) {}

  failNext(method: string, failure: ScriptedFailure): void {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), failure]);
  }

  reset(): void {
    this.scripted.clear();
    this.windows.clear();
    this.published.reset();
  }

  check(method: string, token: string | undefined, channel?: string, now = Date.now()): Reply | undefined {
    const failure = this.scripted.get(method)?.shift();
    if (failure) return scriptedReply(failure);
    if (this.limits.isPublished) {
      const waitMs = this.published.admit(method, token ?? '', channel, now);
      if (waitMs > 0) return rateLimited(Math.ceil(waitMs / 1000));
    }
    const perMinute = this.limits.perMethodPerTeamPerMinute;
    const limit = perMinute?.[method] ?? perMinute?.['*'];
    if (limit === undefined) return undefined;
    const key = `${method} ${token ?? ''}`;
    const recent = (this.windows.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
    this.windows.set(key, recent);
    if (recent.length >= limit) {
      const oldest = recent[0] ?? now;
      return rateLimited(Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)));
    }
    recent.push(now);
    return undefined;
  }
}

function scriptedReply({ error, status, retryAfterSec }: ScriptedFailure): Reply {
  const httpStatus = status ?? (retryAfterSec === undefined ? 200 : 429);
  if (httpStatus === 429) {
    const reply = rateLimited(retryAfterSec ?? 1);
    return error ? { ...reply, body: { ok: false, error } } : reply;
  }
  const code = error ?? (httpStatus >= 500 ? 'internal_error' : 'fatal_error');
  return { status: httpStatus, body: { ok: false, error: code } };
}
