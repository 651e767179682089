import type { CardContent, CardState } from '../../../ports/session-chat';

export interface CardUpdate {
  channel: string;
  ts: string;
  card: CardState;
  isFinal: boolean;
  /** Failed sends so far (transient errors only; rate limits do not count). */
  attempts: number;
}

/** A card's unsent state as PendingCards keeps it and hands it out: since when the card has had state waiting. */
export type PendingUpdate = CardUpdate & { waitingSince: number };

/** What Slack is sent for a card state (a lazy one is drawn now). */
export const drawCard = (card: CardState): CardContent => ('draw' in card ? card.draw() : card);

/** One card's key (its channel and ts), as PendingCards and the workspace's set of expected finals know it. */
export const keyOf = (u: Pick<CardUpdate, 'channel' | 'ts'>): string => `${u.channel} ${u.ts}`;

/** However much budget is left, one card is updated at most this often (people read it; Slack shows a flicker). */
export const CARD_FLOOR_MS = 1_000;

/**
 * The unsent state of each card in one workspace. Only the latest state of a card is kept. `take` hands out final
 * states first, in the order their sessions ended, then the card that has waited longest, skipping cards updated less
 * than `floorMs` ago; a card that was just sent re-enters at the back, so cards with pending state take turns.
 *
 * A card can be expected to turn final (its session's turn ended and its answer is being posted): it takes its place
 * among the finals at once, and live cards wait until it arrives or the wait lapses, so the budget that comes in
 * meanwhile is kept for the finals (as the bench's floor assumes) instead of being spent on a live card first.
 */
export class PendingCards {
  // Map iteration follows insertion order, and re-setting an existing key keeps its place.
  private byCard = new Map<string, PendingUpdate>();
  /** When each card was last handed out, for the per-card floor (entries older than the floor are dropped). */
  private readonly sentAt = new Map<string, number>();
  /** Cards expected to turn final, with when the wait for them lapses. */
  private readonly expected = new Map<string, number>();
  /** The place in line of each final or expected card; a final put back goes ahead of all. */
  private readonly finalPlace = new Map<string, number>();
  private lastPlace = 0;
  private frontPlace = 0;

  constructor(private readonly floorMs = CARD_FLOOR_MS) {}

  get size(): number {
    return this.byCard.size;
  }

  /** The card's latest state, come at `now`. */
  add(update: CardUpdate, now: number): void {
    const key = keyOf(update);
    const waiting = this.byCard.get(key);
    const isFinal = update.isFinal || waiting?.isFinal === true;
    if (isFinal) {
      this.placeFinal(key);
      this.expected.delete(key);
    }
    this.byCard.set(key, { ...update, isFinal, waitingSince: waiting?.waitingSince ?? now });
  }

  /** The card's final state is on its way: it is in line from now, and live cards wait for it until `until`. */
  expect(card: Pick<CardUpdate, 'channel' | 'ts'>, until: number): void {
    const key = keyOf(card);
    if (this.byCard.get(key)?.isFinal) return;
    this.expected.set(key, until);
    this.placeFinal(key);
  }

  /** How long until some card may be sent (0: one may go now; Infinity: nothing pending). */
  readyIn(now: number): number {
    this.lapse(now);
    let soonest = Infinity;
    for (const [key, update] of this.byCard) {
      if (!update.isFinal && this.expected.size > 0) continue;
      const wait = (this.sentAt.get(key) ?? -Infinity) + this.floorMs - now;
      if (wait <= 0) return 0;
      soonest = Math.min(soonest, wait);
    }
    if (this.byCard.size === 0) return soonest;
    for (const until of this.expected.values()) soonest = Math.min(soonest, until - now);
    return soonest;
  }

  /** Whether `take` would hand out a final state now. */
  hasFinalReady(now: number): boolean {
    for (const [key, update] of this.byCard) if (update.isFinal && this.mayGo(key, now)) return true;
    return false;
  }

  /** How long the longest-waiting live card that may go now has had state waiting (0 when none may). */
  liveWaitedMs(now: number): number {
    if (this.expected.size > 0) return 0;
    let since = now;
    for (const [key, update] of this.byCard) {
      if (!update.isFinal && this.mayGo(key, now)) since = Math.min(since, update.waitingSince);
    }
    return now - since;
  }

  take(now: number): PendingUpdate | undefined {
    this.lapse(now);
    const mayGo = (key: string) => this.mayGo(key, now);
    let chosen: PendingUpdate | undefined;
    let chosenPlace = Infinity;
    for (const [key, update] of this.byCard) {
      const place = this.finalPlace.get(key) ?? Infinity;
      if (update.isFinal && place < chosenPlace && mayGo(key)) [chosen, chosenPlace] = [update, place];
    }
    if (!chosen && this.expected.size === 0) {
      for (const [key, update] of this.byCard) {
        if (!mayGo(key)) continue;
        chosen = update;
        break;
      }
    }
    if (!chosen) return undefined;
    const key = keyOf(chosen);
    this.byCard.delete(key);
    this.finalPlace.delete(key);
    for (const [card, at] of this.sentAt) if (at + this.floorMs <= now) this.sentAt.delete(card);
    this.sentAt.set(key, now);
    return chosen;
  }

  /** Counts a write of the card made elsewhere (its post) against the floor. */
  markSent(card: Pick<CardUpdate, 'channel' | 'ts'>, now: number): void {
    this.sentAt.set(keyOf(card), now);
  }

  /** Returns a state that could not be sent to the front, unless a newer state for the card arrived meanwhile. */
  putBack(update: PendingUpdate): void {
    const key = keyOf(update);
    const newer = this.byCard.get(key);
    if (update.isFinal) this.finalPlace.set(key, --this.frontPlace);
    if (newer) {
      newer.isFinal ||= update.isFinal;
      newer.waitingSince = Math.min(newer.waitingSince, update.waitingSince);
      return;
    }
    this.byCard = new Map([[key, update], ...this.byCard]);
  }

  /** Forgets every non-final state and expectation (on shutdown: whoever resumes the session redraws its card). */
  dropNonFinal(): number {
    let dropped = 0;
    for (const key of this.expected.keys()) this.finalPlace.delete(key);
    this.expected.clear();
    for (const [key, update] of this.byCard) {
      if (update.isFinal) continue;
      this.byCard.delete(key);
      dropped++;
    }
    return dropped;
  }

  private mayGo(key: string, now: number): boolean {
    return (this.sentAt.get(key) ?? -Infinity) + this.floorMs <= now;
  }

  private placeFinal(key: string): void {
    if (!this.finalPlace.has(key)) this.finalPlace.set(key, ++this.lastPlace);
  }

  // A final that did not come in time (the session went on with a follow-up, or its answer is slow) stops holding
  // live cards back; it is placed again if it comes.
  private lapse(now: number): void {
    for (const [key, until] of this.expected) {
      if (until > now) continue;
      this.expected.delete(key);
      if (!this.byCard.get(key)?.isFinal) this.finalPlace.delete(key);
    }
  }
}
