import type { Redis } from 'ioredis';

export interface RateDecision {
  isAllowed: boolean;
  /** Seconds until the window resets (at least 1 when refused). */
  retryAfterS: number;
}

/** Counts calls per key in a fixed window; every process shares the count. */
export interface RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  hit(key: string): Promise<RateDecision>;
}

/**
 * A fixed window that opens at a key's first call (not on the clock's minute), in Redis under
 * `${prefix}:ratelimit:${key}`. SET NX + INCR + PTTL run in one MULTI, so a crash never leaves a key without expiry.
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly limit = 60,
    readonly windowMs = 60_000,
  ) {}

  async hit(key: string): Promise<RateDecision> {
    const redisKey = `${this.prefix}:ratelimit:${key}`;
    const results = await this.redis
      .multi()
      .set(redisKey, 0, 'PX', this.windowMs, 'NX')
      .incr(redisKey)
      .pttl(redisKey)
      .exec();
    const count = Number(results?.[1]?.[1] ?? 0);
    const ttlMs = Number(results?.[2]?.[1] ?? this.windowMs);
    return { isAllowed: count <= this.limit, retryAfterS: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }
}
