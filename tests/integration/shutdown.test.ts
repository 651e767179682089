import { sql } from 'drizzle-orm';
import { ANTHROPIC_KEY, startHarness, type Harness } from '../support/harness';
import { botsQuery } from './bots-helpers';
import { createJob } from '../../jobs/definitions';
import { BullJobQueue } from '../../jobs/queue';
import { createRedis } from '../../jobs/redis';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('graceful shutdown', () => {
  it('lets a running job finish before stopping (what SIGTERM triggers)', async () => {
    const q = botsQuery(h);
    const bot = await q.createClaudeBot('draining');
    const [keyId] = await q.addKeys([['drain', ANTHROPIC_KEY]]);
    await q.linkKey(bot.id, keyId!);
    await h.db.db.execute(sql`update claude_connections set model = 'claude-sonnet-4-6' where bot_id = ${bot.id}`);
    h.anthropic.failNext('/v1/agents', { delayMs: 1_500, method: 'POST' });

    const redis = createRedis(h.config.redisUrl, 'producer');
    await redis.connect();
    const queue = new BullJobQueue(redis, h.config.redisPrefix, 20);
    await queue.enqueue(
      createJob('sync-bot', { traceId: 't', teamId: 'T0001', botId: bot.id, actorId: 'U0001' }, bot.id),
    );
    await queue.close();
    redis.disconnect();

    const deadline = Date.now() + 5_000;
    while (h.anthropic.requests.every((r) => r.path !== '/v1/agents') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const startedAt = Date.now();
    await h.baton.stop();
    expect(Date.now() - startedAt).toBeGreaterThan(500);
    expect((await q.get(bot.id))?.status).toBe('ready');
  });
});
