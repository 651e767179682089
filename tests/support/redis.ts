import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix unique to this run and this caller, so parallel test files never share queues. */
export const uniqueRedisPrefix = (): string =>
  `${process.env.BATON_TEST_RUN ?? 'test'}-${randomBytes(4).toString('hex')}`;

/** Deletes every key under `prefix` (BullMQ keys look like `<prefix>:<queue>:…`). */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl, { lazyConnect: false });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
