import type { Redis } from 'ioredis';
import type { EventDedupe } from '../src/ports/storage';

/**
 * Slack event dedupe in Redis, shared by every web process: one `SET NX PX` answers before the ack, without a
 * database commit in the way. Losing a claim (a Redis without persistence restarting) only lets a redelivery
 * through to its job, which finds the session it already made by the trigger's key.
 */
export class RedisEventClaims implements EventDedupe {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async claim(eventId: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}:event:${eventId}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }
}
