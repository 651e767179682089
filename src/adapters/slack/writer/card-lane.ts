import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../log';
import type { SlackClients, TeamRef } from '../../../ports/slack-clients';
import { type CardUpdate, drawCard, keyOf, PendingCards, type PendingUpdate } from './pending-cards';
import type { SlackBudgets } from './redis-budget';
import { failureFields, isTransient, rateLimitDelayMs } from './slack-failures';

const METHOD = 'chat.update';
const MAX_ATTEMPTS = 5;
const MAX_BACKOFF_MS = 30_000;
// When Redis cannot be asked, wait this long and ask again rather than spend budget we cannot count.
const BUDGET_RETRY_MS = 1_000;
// How long other processes' live cards wait for a final state this lane holds, unless it is sent (or given up) first.
const PENDING_FINAL_HOLD_MS = 30_000;

export interface CardLaneDeps {
  team: TeamRef;
  slack: SlackClients;
  budgets: SlackBudgets;
  /** This process among those sharing the workspace's card budget (the longest-waiting card goes first, anywhere). */
  holder: string;
  log: Logger;
  /** Called with each client before use, so the writer can hear about 429s the client handles itself. */
  onClient(client: WebClient): void;
  /** Called after an update reached Slack. */
  onSent(update: CardUpdate): void;
}

/**
 * Sends one workspace's card updates, one call at a time, each only once the shared budget allows it. The state to
 * send is chosen after the budget allows a call, so everything that arrived while waiting is coalesced.
 */
export class CardLane {
  private readonly pending = new PendingCards();
  private isDraining = false;
  private isStopped = false;
  private timer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;
  private idleWaiters: Array<() => void> = [];
  /** Final states not yet sent or given up, each with the callers waiting for it. */
  private readonly unsentFinals = new Map<string, Array<() => void>>();

  constructor(private readonly deps: CardLaneDeps) {}

  get isIdle(): boolean {
    return this.isStopped || (this.pending.size === 0 && !this.isDraining);
  }

  enqueue(update: CardUpdate): void {
    this.pending.add(update, Date.now());
    if (update.isFinal) {
      const key = keyOf(update);
      if (!this.unsentFinals.has(key)) this.unsentFinals.set(key, []);
      this.announceFinal(update, PENDING_FINAL_HOLD_MS);
    }
    if (this.isDraining || this.isStopped) return;
    // A final may go before what the lane was waiting for (a live card held back for it, a card's floor).
    if (this.timer && update.isFinal) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.timer) void this.drain();
  }

  /** The card's final state is on its way; live cards wait for it for up to `holdMs` (see PendingCards.expect). */
  expectFinal(channel: string, ts: string, holdMs: number): void {
    this.pending.expect({ channel, ts }, Date.now() + holdMs);
    this.announceFinal({ channel, ts }, holdMs);
  }

  /** Resolves once the card's final state has reached Slack or was given up (at once when none is pending). */
  whenFinalSent(channel: string, ts: string): Promise<void> {
    const waiters = this.unsentFinals.get(keyOf({ channel, ts }));
    if (!waiters || this.isStopped) return Promise.resolve();
    return new Promise((resolve) => waiters.push(resolve));
  }

  whenIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Slack rate-limited the workspace's card updates: keep what is pending and send none for `ms`, here or in any process. */
  async pause(ms: number): Promise<void> {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    await this.deps.budgets.pause(this.deps.team.teamId, METHOD, ms).catch(this.budgetUnavailable);
  }

  /** The card was just posted: its first update waits out the per-card floor like any other. */
  markPosted(channel: string, ts: string): void {
    this.pending.markSent({ channel, ts }, Date.now());
  }

  dropNonFinal(): number {
    const dropped = this.pending.dropNonFinal();
    this.notifyIfIdle();
    return dropped;
  }

  stop(): void {
    this.isStopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiters of this.unsentFinals.values()) waiters.forEach((resolve) => resolve());
    this.unsentFinals.clear();
    this.notifyIfIdle();
  }

  private async drain(): Promise<void> {
    this.isDraining = true;
    try {
      while (this.pending.size > 0 && !this.isStopped) {
        // No budget is spent on a card that may not be updated yet; wait for the first one that may.
        const readyInMs = this.pending.readyIn(Date.now());
        const waitMs = readyInMs > 0 ? readyInMs : await this.waitBeforeNext();
        if (this.isStopped) return;
        if (waitMs > 0) {
          this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.drain();
          }, waitMs);
          return;
        }
        const update = this.pending.take(Date.now());
        if (update) await this.send(update);
      }
    } finally {
      this.isDraining = false;
      this.notifyIfIdle();
    }
  }

  private async waitBeforeNext(): Promise<number> {
    const pausedMs = this.pausedUntil - Date.now();
    if (pausedMs > 0) return pausedMs;
    try {
      // A live card also waits while another process holds (or expects) a final state of this workspace, and for the
      // process whose card has waited longest; a final takes no turn.
      const now = Date.now();
      const isBehindFinals = !this.pending.hasFinalReady(now);
      const waitedMs = isBehindFinals ? this.pending.liveWaitedMs(now) : undefined;
      const oldestFirst = { holder: this.deps.holder, waitedMs };
      return await this.deps.budgets.take(this.deps.team.teamId, METHOD, { isBehindFinals, oldestFirst });
    } catch (error) {
      this.budgetUnavailable(error);
      return BUDGET_RETRY_MS;
    }
  }

  private async send(update: PendingUpdate): Promise<void> {
    const { team, slack, log } = this.deps;
    const where = { teamId: team.teamId, channel: update.channel, ts: update.ts, isFinal: update.isFinal };
    try {
      const client = await slack.forTeam(team);
      this.deps.onClient(client);
      const { text, blocks } = drawCard(update.card);
      await client.chat.update({ channel: update.channel, ts: update.ts, text, blocks });
      // The floor counts from when Slack surely had this write: one slow on its way must not bring the next closer.
      this.pending.markSent(update, Date.now());
      this.deps.onSent(update);
      if (update.isFinal) this.finalDone(update);
    } catch (error) {
      const retryAfterMs = rateLimitDelayMs(error);
      if (retryAfterMs !== undefined) {
        this.pending.putBack(update);
        log.warn({ event: 'slack.writer.card.rate_limited', ...where, retryAfterMs });
        if (retryAfterMs > 0) await this.pause(retryAfterMs);
        return;
      }
      if (isTransient(error) && update.attempts + 1 < MAX_ATTEMPTS) {
        const backoffMs = Math.min(1_000 * 2 ** update.attempts, MAX_BACKOFF_MS);
        this.pending.putBack({ ...update, attempts: update.attempts + 1 });
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + backoffMs);
        log.warn({ event: 'slack.writer.card.retry', ...where, backoffMs, ...failureFields(error) });
        return;
      }
      log.warn({ event: 'slack.writer.card.dropped', ...where, ...failureFields(error) });
      if (update.isFinal) this.finalDone(update);
    }
  }

  // Every process's lane of the workspace keeps its live cards back for the finals this one holds or expects.
  private announceFinal(card: Pick<CardUpdate, 'channel' | 'ts'>, holdMs: number): void {
    const { teamId } = this.deps.team;
    this.deps.budgets.expectFinal(teamId, keyOf(card), holdMs).catch(this.budgetUnavailable);
  }

  private finalDone(card: Pick<CardUpdate, 'channel' | 'ts'>): void {
    const key = keyOf(card);
    this.unsentFinals.get(key)?.forEach((resolve) => resolve());
    this.unsentFinals.delete(key);
    this.deps.budgets.finalDone(this.deps.team.teamId, key).catch(this.budgetUnavailable);
  }

  private readonly budgetUnavailable = (error: unknown): void => {
    this.deps.log.warn({ event: 'slack.writer.budget.unavailable', teamId: this.deps.team.teamId, err: error });
  };

  private notifyIfIdle(): void {
    if (!this.isIdle) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
