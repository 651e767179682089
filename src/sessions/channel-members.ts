import type { WebClient } from '@slack/web-api';
import { LRUCache } from 'lru-cache';

const MEMBERS_TTL_MS = 60_000;
// Pages of conversations.members read for one channel; past this a channel counts only the members seen.
const MEMBER_PAGES_MAX = 5;
const PAGE_SIZE = 1000;
// Bounds the cache by members held, not by channels, so a few huge channels cannot take all the memory.
const MEMBERS_HELD_MAX = 200_000;

/**
 * Who is in a channel, as Slack says, cached briefly per workspace and channel. A channel Baton cannot read the
 * members of has none: nobody gets access through it.
 */
export class ChannelMembers {
  private readonly cache = new LRUCache<string, ReadonlySet<string>>({
    maxSize: MEMBERS_HELD_MAX,
    sizeCalculation: (members) => Math.max(1, members.size),
    ttl: MEMBERS_TTL_MS,
  });

  async has(client: WebClient, teamId: string, channel: string, userId: string): Promise<boolean> {
    if (!userId) return false;
    const key = `${teamId}/${channel}`;
    let members = this.cache.get(key);
    if (!members) {
      members = await this.fetch(client, channel);
      this.cache.set(key, members);
    }
    return members.has(userId);
  }

  private async fetch(client: WebClient, channel: string): Promise<ReadonlySet<string>> {
    const members = new Set<string>();
    let cursor: string | undefined;
    try {
      for (let page = 0; page < MEMBER_PAGES_MAX; page++) {
        const result = await client.conversations.members({ channel, limit: PAGE_SIZE, cursor });
        for (const id of result.members ?? []) members.add(id);
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code !== 'channel_not_found' && code !== 'not_in_channel' && code !== 'missing_scope') throw error;
    }
    return members;
  }
}
