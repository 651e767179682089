import type { CardContent } from '../../../ports/thread-writer';

export interface CardUpdate {
  channel: string;
  ts: string;
  card: CardContent;
  isFinal: boolean;
  /** Failed sends so far (transient errors only; rate limits do not count). */
  attempts: number;
}

const keyOf = (u: Pick<CardUpdate, 'channel' | 'ts'>): string => `${u.channel} ${u.ts}`;

/**
 * The unsent state of each card in one workspace. Only the latest state of a card is kept. `take` hands out final
 * states first, then the card that has waited longest; a card that was just sent re-enters at the back, so cards
 * with pending state take turns.
 */
export class PendingCards {
  // Map iteration follows insertion order, and re-setting an existing key keeps its place.
  private byCard = new Map<string, CardUpdate>();

  get size(): number {
    return this.byCard.size;
  }

  add(update: CardUpdate): void {
    const key = keyOf(update);
    const waiting = this.byCard.get(key);
    this.byCard.set(key, waiting ? { ...update, isFinal: waiting.isFinal || update.isFinal } : update);
  }

  take(): CardUpdate | undefined {
    let chosen: CardUpdate | undefined;
    for (const update of this.byCard.values()) {
      if (update.isFinal) {
        chosen = update;
        break;
      }
      chosen ??= update;
    }
    if (chosen) this.byCard.delete(keyOf(chosen));
    return chosen;
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
