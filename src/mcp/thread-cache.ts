import type { WebClient } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import { keepLatest, THREAD_PAGE_SIZE, type ThreadRead } from '../sessions/task-context';
import type { RawSlackMessage } from '../sessions/thread-messages';
import type { ReadBudget } from './read-budget';

interface Kept {
  raw: RawSlackMessage[];
  isCut: boolean;
  /** The newest message read; the next read asks only for replies after it. */
  lastTs: string;
}

export interface ThreadCacheOptions {
  /** Sessions whose thread a process keeps. */
  max?: number;
  /** After this long a thread is read whole again, so edits and deletions of older messages show up. */
  ttlMs?: number;
  pageSize?: number;
  now?: () => number;
}

/** `1700000000.000100` style timestamps, compared exactly (as numbers they lose the last digits). */
export function compareTs(a: string, b: string): number {
  const [as = '', af = ''] = a.split('.');
  const [bs = '', bf = ''] = b.split('.');
  return as.length - bs.length || as.localeCompare(bs) || af.padEnd(6, '0').localeCompare(bf.padEnd(6, '0'));
}

// Only what Baton shows an agent, so a kept thread costs its text and little else.
const trimmed = (m: RawSlackMessage): RawSlackMessage => ({
  ...(m.ts ? { ts: m.ts } : {}),
  ...(m.user ? { user: m.user } : {}),
  ...(m.bot_id ? { bot_id: m.bot_id } : {}),
  ...(m.username ? { username: m.username } : {}),
  ...(m.bot_profile?.name ? { bot_profile: { name: m.bot_profile.name } } : {}),
  text: m.text ?? '',
  ...(m.files
    ? { files: m.files.map((f) => ({ ...(f.name ? { name: f.name } : {}), ...(f.title ? { title: f.title } : {}) })) }
    : {}),
});

/**
 * Each session's thread as its agent last read it (`get_task_context`): a later call asks Slack only for replies
 * newer than the last one read, one page per Slack read the call may still make. A thread longer than the call's
 * reads is read on by the next call. In memory and bounded: a session not kept (or kept too long) reads it whole.
 */
export class ThreadCache {
  private readonly kept: LRUCache<string, Kept>;
  private readonly pageSize: number;

  constructor(options: ThreadCacheOptions = {}) {
    const now = options.now ?? (() => performance.now());
    this.pageSize = options.pageSize ?? THREAD_PAGE_SIZE;
    this.kept = new LRUCache<string, Kept>({
      max: options.max ?? 1_000,
      ttl: options.ttlMs ?? 10 * 60_000,
      perf: { now },
      ttlResolution: 0,
      // Text is most of a kept thread; 64 MB of it at most.
      maxSize: 64 * 1024 * 1024,
      sizeCalculation: (entry) => entry.raw.reduce((n, m) => n + (m.text?.length ?? 0) + 200, 1),
    });
  }

  async read(
    sessionId: string,
    reads: ReadBudget,
    client: WebClient,
    channel: string,
    ts: string,
  ): Promise<ThreadRead> {
    const key = `${sessionId}:${channel}:${ts}`;
    const read = await readReplies(client, channel, ts, reads, this.kept.get(key), this.pageSize);
    this.kept.set(key, { raw: read.raw, isCut: read.isCut, lastTs: read.raw.at(-1)?.ts ?? ts });
    return read;
  }
}

/**
 * A thread's replies after what was `kept` (all of it when nothing was), one page per Slack read the call may still
 * make; the first page is always asked for (and refused with the budget's error when no read is left).
 */
export async function readReplies(
  client: WebClient,
  channel: string,
  ts: string,
  reads: ReadBudget,
  kept?: Kept,
  pageSize = THREAD_PAGE_SIZE,
): Promise<ThreadRead> {
  const raw = kept ? [...kept.raw] : [];
  let isCut = kept?.isCut ?? false;
  const after = kept?.lastTs;
  let cursor: string | undefined;
  let pages = 0;
  do {
    if (pages > 0 && reads.left < 1) break;
    reads.spend(1);
    pages += 1;
    const page = await client.conversations.replies({
      channel,
      ts,
      limit: pageSize,
      ...(after ? { oldest: after } : {}),
      ...(cursor ? { cursor } : {}),
    });
    // Slack puts the parent first whatever the range: keep only what was not read before.
    const messages = (page.messages ?? []) as RawSlackMessage[];
    raw.push(...messages.filter((m) => !after || compareTs(m.ts ?? '', after) > 0).map(trimmed));
    cursor = page.response_metadata?.next_cursor || undefined;
    isCut = keepLatest(raw) || isCut;
  } while (cursor);
  return { raw, isCut, readUpTo: cursor ? raw.at(-1)?.ts : undefined };
}
