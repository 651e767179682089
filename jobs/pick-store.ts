import type { Redis } from 'ioredis';
import type { PendingPicks } from '../src/ports/picks';

const TTL_SECONDS = 24 * 60 * 60;

/** Picker tasks live in Redis for a day: shared by every worker, and gone on their own. */
export class RedisPickStore implements PendingPicks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async save(pickId: string, words: string): Promise<void> {
    await this.redis.set(this.key(pickId), words, 'EX', TTL_SECONDS);
  }

  async get(pickId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(pickId))) ?? undefined;
  }

  private key(pickId: string) {
    return `${this.prefix}:pick:${pickId}`;
  }
}
