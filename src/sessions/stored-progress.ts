import { LRUCache } from 'lru-cache';
import type { StoredEvent } from '../domain/sessions';
import { emptyProgress, foldEvents, type SessionProgress } from './reduce';

interface EventSource {
  events(sessionId: string, afterSeq?: number): Promise<StoredEvent[]>;
}

/** Sessions whose folded progress a process keeps; a session not kept is folded again from its first event. */
const SESSIONS_KEPT = 1_000;

// One cache per event store, so separate stores (tests, several databases) never share a fold.
const folds = new WeakMap<EventSource, LRUCache<string, { progress: SessionProgress; seq: number }>>();

/**
 * A session's progress from its stored events, for redraws outside the run loop (update_status, approvals,
 * follow-ups). Events are append-only and ordered by seq, so the fold is kept per session and only events stored
 * since are read and stepped in: a long session costs one small query per redraw, not its whole history.
 */
export async function storedProgress(store: EventSource, sessionId: string): Promise<SessionProgress> {
  let cache = folds.get(store);
  if (!cache) folds.set(store, (cache = new LRUCache({ max: SESSIONS_KEPT })));
  const kept = cache.get(sessionId);
  const fresh = await store.events(sessionId, kept?.seq ?? 0);
  // Another redraw may have read further meanwhile: step only what its fold has not seen.
  const base = cache.get(sessionId) ?? kept;
  const baseSeq = base?.seq ?? 0;
  const progress = foldEvents(
    fresh.filter((e) => e.seq > baseSeq),
    base?.progress ?? emptyProgress(),
  );
  cache.set(sessionId, { progress, seq: Math.max(baseSeq, fresh.at(-1)?.seq ?? 0) });
  return progress;
}
