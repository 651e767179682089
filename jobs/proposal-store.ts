import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SettingsProposal } from '../src/ports/claude';
import type { ProposalStore } from '../src/ports/proposals';

const TTL_SECONDS = 60 * 60;

/** Proposals live in Redis for an hour: shared by every process, gone once applied or stale. */
export class RedisProposalStore implements ProposalStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async save(botId: string, proposal: SettingsProposal): Promise<string> {
    const id = randomBytes(12).toString('base64url');
    await this.redis.set(this.key(id), JSON.stringify({ botId, proposal }), 'EX', TTL_SECONDS);
    return id;
  }

  async take(id: string): Promise<{ botId: string; proposal: SettingsProposal } | undefined> {
    const raw = await this.redis.getdel(this.key(id));
    return raw ? (JSON.parse(raw) as { botId: string; proposal: SettingsProposal }) : undefined;
  }

  private key(id: string) {
    return `${this.prefix}:proposal:${id}`;
  }
}
