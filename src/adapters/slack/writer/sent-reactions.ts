import type { Redis } from 'ioredis';

/** How long Baton remembers a reaction it put on a message: longer than sessions run. */
const REMEMBER_MS = 7 * 24 * 60 * 60_000;

/**
 * The reactions Baton put on messages, noted in Redis so every process knows them. Taking off a reaction Baton never
 * put on (a session whose card came before its 👀 could) would spend a call of a scarce budget for Slack's
 * `no_reaction`; and a person whose mention has Baton's 👀 already knows they were heard.
 */
export class SentReactions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async added(teamId: string, channel: string, ts: string, name: string): Promise<void> {
    await this.redis.set(this.key(teamId, channel, ts, name), '1', 'PX', REMEMBER_MS);
  }

  async removed(teamId: string, channel: string, ts: string, name: string): Promise<void> {
    await this.redis.del(this.key(teamId, channel, ts, name));
  }

  /** Whether Baton put it on (by its note), or undefined when Redis cannot answer. */
  async isNoted(teamId: string, channel: string, ts: string, name: string): Promise<boolean | undefined> {
    try {
      return (await this.redis.exists(this.key(teamId, channel, ts, name))) === 1;
    } catch {
      return undefined;
    }
  }

  private key(teamId: string, channel: string, ts: string, name: string): string {
    return `${this.prefix}:reaction:${teamId}:${channel}:${ts}:${name}`;
  }
}
