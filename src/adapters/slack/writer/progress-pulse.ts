import type { Logger } from '../../../log';
import { ignoreSlackErrors } from '../errors';
import type { TeamRef } from '../../../ports/slack-clients';
import type { BudgetedCalls } from './budgeted-calls';
import type { ThreadStatusLines } from './thread-status';

/** The reaction a live card wears and drops in turn while it works, so the card moves between its own updates. */
export const PULSE_REACTION = 'hourglass_flowing_sand';
const STATUS_METHOD = 'assistant.threads.setStatus';
// Progress signals leave a call's worth of each budget to calls a person waits for (👀, an answer's status).
const RESERVE = 1;
/**
 * Reactions that settle what already happened (✅ on a finished session's message, its pulse reaction taken off)
 * wait until the budget has more to spare than progress signals leave, so live sessions keep moving while many end;
 * after half a minute they go anyway.
 */
export const SETTLE = { reserve: RESERVE + 1, maxWaitMs: 30_000 };

interface LiveCard {
  team: TeamRef;
  channel: string;
  cardTs: string;
  threadTs: string;
  /** The latest status line the session asked for, and the last one Slack was sent. */
  status: string | undefined;
  sentStatus: string | undefined;
  /**
   * When this process began to follow the card (its post, or the resumed run that found it; the status line counts
   * the time from there), and when a person last saw it change.
   */
  followedAt: number;
  seenAt: number;
  isReactionOn: boolean;
}

export interface ProgressPulseOptions {
  calls: BudgetedCalls;
  statusLines: ThreadStatusLines;
  log: Logger;
  /** This process, as the workspaces' budgets know it: signals go to the longest-unchanged card of all processes. */
  holder: string;
  /** A live card unchanged for this long gets a signal from another method's budget. */
  afterMs: number;
  /** How often due cards are looked for. */
  tickMs: number;
  now?: () => number;
}

const keyOf = (channel: string, ts: string) => `${channel} ${ts}`;

/** `0:42`, `12:05`: minutes and seconds. */
const elapsed = (ms: number): string => {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};

/**
 * Keeps live sessions visibly moving when their cards' share of `chat.update` is scarce (20 live cards in a
 * workspace get one update each 24 s): a card that has not changed for `afterMs` gets its thread status line
 * (what the session is doing now and for how long) or, when that budget is spent, its pulse reaction turned on or
 * off. Both methods have budgets of their own, and a signal goes only when its budget allows it at once, so
 * progress never costs a 429 and never delays an answer or a card.
 */
export class ProgressPulse {
  private readonly cards = new Map<string, LiveCard>();
  private timer: NodeJS.Timeout | undefined;
  private isTicking = false;
  private readonly now: () => number;

  constructor(private readonly options: ProgressPulseOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A card was posted (or found again): it is live from now. */
  track(team: TeamRef, channel: string, cardTs: string, threadTs: string): void {
    const key = keyOf(channel, cardTs);
    if (this.cards.has(key)) return;
    const card = { team, channel, cardTs, threadTs, status: undefined, sentStatus: undefined, isReactionOn: false };
    const now = this.now();
    this.cards.set(key, { ...card, followedAt: now, seenAt: now });
    this.timer ??= setInterval(() => void this.tick(), this.options.tickMs);
  }

  /** The card changed in Slack (an update went out). */
  shown(channel: string, cardTs: string): void {
    const card = this.cards.get(keyOf(channel, cardTs));
    if (card) card.seenAt = this.now();
  }

  /** What the session is doing now, for the thread's status line. */
  setStatus(channel: string, cardTs: string, status: string | undefined): void {
    const card = this.cards.get(keyOf(channel, cardTs));
    if (card) card.status = status;
  }

  /** A status line that did not go out at once: the thread's card shows it with its first signal, if none came since. */
  offerStatus(channel: string, threadTs: string, status: string): void {
    for (const card of this.cards.values()) {
      if (card.channel === channel && card.threadTs === threadTs) card.status ??= status;
    }
  }

  /** The session ended: no more signals, and the pulse reaction comes off. */
  async end(channel: string, cardTs: string): Promise<void> {
    const key = keyOf(channel, cardTs);
    const card = this.cards.get(key);
    this.cards.delete(key);
    if (this.cards.size === 0) this.stop();
    if (!card?.isReactionOn) return;
    await this.options.calls.run(card.team, { method: 'reactions.remove', spare: SETTLE }, (client) =>
      ignoreSlackErrors(['no_reaction', 'message_not_found'], () =>
        client.reactions.remove({ channel, timestamp: cardTs, name: PULSE_REACTION }),
      ),
    );
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.isTicking) return;
    this.isTicking = true;
    try {
      const due = [...this.cards.values()]
        .filter((card) => this.now() - card.seenAt >= this.options.afterMs)
        .sort((a, b) => a.seenAt - b.seenAt);
      // Workspaces have budgets of their own, so each goes at once; within one, the longest-unchanged card first.
      const byTeam = new Map<string, LiveCard[]>();
      for (const card of due) byTeam.set(card.team.teamId, [...(byTeam.get(card.team.teamId) ?? []), card]);
      await Promise.all([...byTeam.values()].map((cards) => this.signalAll(cards)));
    } catch (error) {
      this.options.log.warn({ event: 'slack.writer.pulse.failed', err: error });
    } finally {
      this.isTicking = false;
    }
  }

  private async signalAll(cards: LiveCard[]): Promise<void> {
    // Methods whose budget ran out this tick: no point asking Redis again for the next card.
    const spent = new Set<string>();
    for (const card of cards) {
      if (!this.cards.has(keyOf(card.channel, card.cardTs))) continue;
      if ((await this.sendStatus(card, spent)) || (await this.flipReaction(card, spent))) card.seenAt = this.now();
    }
  }

  // The status line carries the time the session has worked, so it moves even while one long step runs.
  private async sendStatus(card: LiveCard, spent: Set<string>): Promise<boolean> {
    if (!card.status) return false;
    const status = `${card.status} · ${elapsed(this.now() - card.followedAt)}`;
    if (status === card.sentStatus) return false;
    return this.signal(card, STATUS_METHOD, spent, async (client) => {
      await this.options.statusLines.set(card.channel, card.threadTs, () =>
        client.assistant.threads.setStatus({ channel_id: card.channel, thread_ts: card.threadTs, status }),
      );
      card.sentStatus = status;
    });
  }

  private flipReaction(card: LiveCard, spent: Set<string>): Promise<boolean> {
    const args = { channel: card.channel, timestamp: card.cardTs, name: PULSE_REACTION };
    if (card.isReactionOn) {
      return this.signal(card, 'reactions.remove', spent, async (client) => {
        await ignoreSlackErrors(['no_reaction'], () => client.reactions.remove(args));
        card.isReactionOn = false;
      });
    }
    return this.signal(card, 'reactions.add', spent, async (client) => {
      await ignoreSlackErrors(['already_reacted'], () => client.reactions.add(args));
      card.isReactionOn = true;
    });
  }

  private async signal(
    card: LiveCard,
    method: string,
    spent: Set<string>,
    call: Parameters<BudgetedCalls['tryRun']>[2],
  ): Promise<boolean> {
    const budget = `${card.team.teamId} ${method}`;
    if (spent.has(budget)) return false;
    const { holder, tickMs } = this.options;
    const oldestFirst = { holder, waitedMs: this.now() - card.seenAt, asksAgainWithinMs: tickMs };
    const isSent = await this.options.calls
      .tryRun(card.team, { method, reserve: RESERVE, oldestFirst }, call)
      .catch((error: unknown) => {
        this.options.log.debug({ event: 'slack.writer.pulse.refused', method, err: error });
        return false;
      });
    if (!isSent) spent.add(budget);
    return isSent;
  }
}
