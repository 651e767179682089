import type { Redis } from 'ioredis';

/**
 * Follow-ups that arrived while the agent's run was still going (Cursor allows one active run per agent). They
 * wait here, in Redis so no worker's memory holds them, until the run ends and the next run carries them.
 */
export interface FollowUpQueue {
  push(agentId: string, text: string): Promise<void>;
  peek(agentId: string): Promise<string | undefined>;
  /** Drops the follow-up `peek` returned, once Cursor accepted it. */
  shift(agentId: string): Promise<void>;
  clear(agentId: string): Promise<void>;
}

const DAY_S = 24 * 60 * 60;

export class RedisFollowUpQueue implements FollowUpQueue {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(agentId: string): string {
    return `${this.prefix}:cursor-follow-ups:${agentId}`;
  }

  async push(agentId: string, text: string): Promise<void> {
    await this.redis
      .multi()
      .rpush(this.key(agentId), text)
      .expire(this.key(agentId), 7 * DAY_S)
      .exec();
  }

  async peek(agentId: string): Promise<string | undefined> {
    return (await this.redis.lindex(this.key(agentId), 0)) ?? undefined;
  }

  async shift(agentId: string): Promise<void> {
    await this.redis.lpop(this.key(agentId));
  }

  async clear(agentId: string): Promise<void> {
    await this.redis.del(this.key(agentId));
  }
}
