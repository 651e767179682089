import type { CardContent, CardState } from '../../../ports/session-chat';

export interface CardUpdate {
  channel: string;
  ts: string;
  card: CardState;
  isFinal: boolean;
  /** Failed sends so far (transient errors only; rate limits do not count). */
  attempts: number;
}

/** What Slack is sent for a card state (a lazy one is drawn now). */
export const drawCard = (card: CardState): CardContent => ('draw' in card ? card.draw() : card);

const keyOf = (u: Pick<CardUpdate, 'channel' | 'ts'>): string => `${u.channel} ${u.ts}`;

/** However much budget is left, one card is updated at most this often (people read it; Slack shows a flicker). */
export const CARD_FLOOR_MS = 1_000;

/**
 * The unsent state of each card in one workspace. Only the latest state of a card is kept. `take` hands out final
 * states first (the session that ended first goes first), then the card that has waited longest, skipping cards
 * updated less than `floorMs` ago; a card that was just sent re-enters at the back, so cards with pending state take
 * turns.
 */
export class PendingCards {
  // Map iteration follows insertion order, and re-setting an existing key keeps its place.
  private byCard = new Map<string, CardUpdate>();
  /** When each card was last handed out, for the per-card floor (entries older than the floor are dropped). */
  private readonly sentAt = new Map<string, number>();

  constructor(private readonly floorMs = CARD_FLOOR_MS) {}

  get size(): number {
    return this.byCard.size;
  }

  add(update: CardUpdate): void {
    const key = keyOf(update);
    const waiting = this.byCard.get(key);
    // Finals go out in the order the sessions ended: a card becoming final leaves the place its live state held.
    if (waiting && update.isFinal && !waiting.isFinal) this.byCard.delete(key);
    this.byCard.set(key, waiting ? { ...update, isFinal: waiting.isFinal || update.isFinal } : update);
  }

  /** How long until some card may be sent (0: one may go now; Infinity: nothing pending). */
  readyIn(now: number): number {
    let soonest = Infinity;
    for (const key of this.byCard.keys()) {
      const wait = (this.sentAt.get(key) ?? -Infinity) + this.floorMs - now;
      if (wait <= 0) return 0;
      soonest = Math.min(soonest, wait);
    }
    return soonest;
  }

  take(now: number): CardUpdate | undefined {
    let chosen: CardUpdate | undefined;
    for (const [key, update] of this.byCard) {
      if ((this.sentAt.get(key) ?? -Infinity) + this.floorMs > now) continue;
      if (update.isFinal) {
        chosen = update;
        break;
      }
      chosen ??= update;
    }
    if (!chosen) return undefined;
    const key = keyOf(chosen);
    this.byCard.delete(key);
    for (const [card, at] of this.sentAt) if (at + this.floorMs <= now) this.sentAt.delete(card);
    this.sentAt.set(key, now);
    return chosen;
  }

  /** Counts a write of the card made elsewhere (its post) against the floor. */
  markSent(card: Pick<CardUpdate, 'channel' | 'ts'>, now: number): void {
    this.sentAt.set(keyOf(card), now);
  }

  /** Returns a state that could not be sent to the front, unless a newer state for the card arrived meanwhile. */
  putBack(update: CardUpdate): void {
    const key = keyOf(update);
    const newer = this.byCard.get(key);
    if (newer) {
      newer.isFinal ||= update.isFinal;
      return;
    }
    this.byCard = new Map([[key, update], ...this.byCard]);
  }

  /** Forgets every non-final state (on shutdown: whoever resumes the session redraws its card). */
  dropNonFinal(): number {
    let dropped = 0;
    for (const [key, update] of this.byCard) {
      if (update.isFinal) continue;
      this.byCard.delete(key);
      dropped++;
    }
    return dropped;
  }
}
