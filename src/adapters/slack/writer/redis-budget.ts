import type { Redis } from 'ioredis';
import { metrics } from '../../../ops/metrics';

export interface BudgetOptions {
  /** Calls allowed per workspace in any window of `windowMs`. */
  perWindow: number;
  windowMs: number;
  /** Calls that may go back to back; the rest of the budget is spread evenly over the window. */
  burst: number;
}

// A token bucket in one hash per workspace: `tokens`, `at` (ms of the last refill) and `until` (end of a pause).
// It refills at (perWindow - burst) / windowMs per ms and holds at most `burst`, so any window sees at most
// burst + (perWindow - burst) = perWindow calls. Time comes from the Redis server, so every process sees one clock.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity, rate, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'until')
local untilMs = tonumber(s[3]) or 0
if now < untilMs then return untilMs - now end
local at = tonumber(s[2]) or now
local tokens = math.min(capacity, (tonumber(s[1]) or capacity) + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], ttl)
return wait
`;

// After a 429 nobody in the workspace sends until the pause ends; then one call may go at once and refill resumes.
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = math.max(tonumber(redis.call('HGET', KEYS[1], 'until')) or 0, now + tonumber(ARGV[1]))
redis.call('HSET', KEYS[1], 'until', untilMs, 'at', untilMs, 'tokens', 1)
redis.call('PEXPIRE', KEYS[1], untilMs - now + tonumber(ARGV[2]))
return untilMs - now
`;

/** One Slack method's call budget per workspace, shared by every process using the same Redis and prefix. */
export class RedisBudget {
  private readonly ratePerMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly method: string,
    private readonly options: BudgetOptions,
  ) {
    // With a budget of 1 there is no room for a burst: allow one call at once and one more per window.
    this.ratePerMs = Math.max(options.perWindow - options.burst, 1) / options.windowMs;
  }

  key(teamId: string): string {
    return `${this.prefix}:slack-budget:${teamId}:${this.method}`;
  }

  /** 0 when a call may go now (it is counted); otherwise how many ms to wait before asking again. */
  async take(teamId: string): Promise<number> {
    const { burst, windowMs } = this.options;
    const waitMs = Number(await this.redis.eval(TAKE, 1, this.key(teamId), burst, this.ratePerMs, 2 * windowMs));
    if (waitMs > 0) metrics.budgetWaits.inc({ method: this.method });
    return waitMs;
  }

  /** Stops every process from calling for `ms` (Slack's Retry-After). */
  async pause(teamId: string, ms: number): Promise<void> {
    await this.redis.eval(PAUSE, 1, this.key(teamId), Math.ceil(ms), 2 * this.options.windowMs);
  }
}
