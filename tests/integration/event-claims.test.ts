import { Redis } from 'ioredis';
import { RedisEventClaims } from '../../jobs/event-claims';
import { deleteRedisPrefix, testRedisUrl, uniqueRedisPrefix } from '../support/redis';

const prefix = uniqueRedisPrefix();
const redis = new Redis(testRedisUrl);
/** A second web process's connection. */
const other = new Redis(testRedisUrl);
afterAll(async () => {
  await deleteRedisPrefix(prefix);
  redis.disconnect();
  other.disconnect();
});

describe('Slack event claims in Redis', () => {
  it('lets the first delivery of an event through and no redelivery, across processes, for the claim’s lifetime', async () => {
    const web1 = new RedisEventClaims(redis, prefix);
    const web2 = new RedisEventClaims(other, prefix);
    const claims = await Promise.all([
      web1.claim('Ev01', 60_000),
      web2.claim('Ev01', 60_000),
      web1.claim('Ev02', 60_000),
    ]);
    // Exactly one process gets Ev01, whichever of the two Redis heard first.
    expect(claims.slice(0, 2).sort()).toEqual([false, true]);
    expect(claims[2]).toBe(true);
    expect(await web2.claim('Ev01', 60_000)).toBe(false);
    const ttl = await redis.pttl(`${prefix}:event:Ev01`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
