import type { WebClient } from '@slack/web-api';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../log';
import type { Foreground } from '../../../ops/foreground';
import type { SlackClients, TeamRef } from '../../../ports/slack-clients';
import type { SlackBudgets, TakeOptions } from './redis-budget';
import { failureFields, isTransient, rateLimitDelayMs } from './slack-failures';

export interface CallSpec {
  /** The Slack method whose budget the call spends. */
  method: string;
  /** For `chat.postMessage`: the channel (it has a budget of its own). */
  channel?: string | undefined;
  /** For `run`: see SpareWait. */
  spare?: SpareWait | undefined;
  /** For progress signals: see TakeOptions. */
  oldestFirst?: TakeOptions['oldestFirst'];
}

/**
 * The call first waits, in a line of its own, until the method's budget holds more than `reserve` spare tokens, so it
 * goes after calls that leave less (progress signals, people waiting); after `maxWaitMs` it goes as any call, so it
 * never starves.
 */
export interface SpareWait {
  reserve: number;
  maxWaitMs: number;
}

// Calls that wait: after this many 429s in a row the error reaches the caller.
const ATTEMPTS = 3;
// When Redis cannot be asked, a call that must go goes (Slack's own 429 still stops it); signals are skipped.
const NO_BUDGET = -1;
// Waits before the tries after a network failure or a Slack hiccup: 0.5 s, 1 s, 2 s, … (as the WebClient's own).
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * Asked before a call that is not safe to repeat (a post) is sent again after a failure that may have reached Slack
 * (the connection dropped, Slack answered 500): its result if it took effect after all, else undefined.
 */
export type Recover<T> = () => Promise<T | undefined>;

/**
 * The writer's Slack calls, each spending its own method's budget in Redis first. `run` waits for the budget (a
 * person is waiting for this call); `tryRun` and `runNow` send only if the budget allows now, leaving `reserve`
 * tokens for `run` callers (for progress signals, which a later one replaces, and cards that can go later). A 429
 * pauses that method only, in every process.
 */
export class BudgetedCalls {
  /** Per bucket, the end of the line of calls waiting for it. */
  private readonly lines = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: {
      slack: SlackClients;
      budgets: SlackBudgets;
      log: Logger;
      /** A wait for budget is not foreground work (see Foreground). */
      foreground?: Pick<Foreground, 'aside'> | undefined;
      /** Called with each client before use (the writer listens for 429s the client handles itself). */
      onClient?(client: WebClient, team: TeamRef): void;
      /**
       * Tries after a network failure or a Slack hiccup. The writer's clients retry nothing themselves: a WebClient
       * would send a post again blindly, and Slack may already have it.
       */
      retries?: number | undefined;
    },
  ) {}

  /** `recover`: see Recover; without it a failed call is simply sent again (reads, updates, reactions). */
  async run<T>(
    team: TeamRef,
    spec: CallSpec,
    call: (client: WebClient) => Promise<T>,
    recover?: Recover<T>,
  ): Promise<T> {
    const client = await this.client(team);
    let isTaken = spec.spare ? await this.spareTurn(team.teamId, spec, spec.spare) : false;
    for (let attempt = 1; ; attempt++) {
      if (!isTaken) await this.acquire(team.teamId, spec);
      isTaken = false;
      try {
        return await this.tried(spec, () => call(client), recover);
      } catch (error) {
        const retryAfterMs = rateLimitDelayMs(error);
        if (retryAfterMs === undefined || attempt >= ATTEMPTS) throw error;
        this.deps.log.warn({ event: 'slack.call.rate_limited', method: spec.method, retryAfterMs });
        await this.pause(team.teamId, spec, retryAfterMs);
      }
    }
  }

  /** True when the call went out and succeeded; false when the budget did not allow it now (nothing was sent). */
  async tryRun(
    team: TeamRef,
    spec: CallSpec & { reserve: number },
    call: (client: WebClient) => Promise<unknown>,
  ): Promise<boolean> {
    const sent = await this.runNow(team, spec, async (client) => {
      await call(client);
      return true;
    });
    return sent ?? false;
  }

  /**
   * The call's result when the budget allows it now (leaving `reserve` tokens); undefined when it does not, or Slack
   * answered 429 (nothing was sent). `recover`: see Recover.
   */
  async runNow<T>(
    team: TeamRef,
    spec: CallSpec & { reserve: number },
    call: (client: WebClient) => Promise<T>,
    recover?: Recover<T>,
  ): Promise<T | undefined> {
    const client = await this.client(team);
    const waitMs = await this.take(team.teamId, spec, spec.reserve);
    if (waitMs !== 0) return undefined;
    try {
      return await this.tried(spec, () => call(client), recover);
    } catch (error) {
      const retryAfterMs = rateLimitDelayMs(error);
      if (retryAfterMs === undefined) throw error;
      this.deps.log.warn({ event: 'slack.call.rate_limited', method: spec.method, retryAfterMs });
      await this.pause(team.teamId, spec, retryAfterMs);
      return undefined;
    }
  }

  /**
   * Waits for the method's budget like `run`, but only while `isWanted()` says the call is still worth making (asked
   * at its turn and before each try, so a later sign that made it pointless stops it); gives up after `maxWaitMs`.
   * True when sent.
   */
  async runWhile(
    team: TeamRef,
    spec: CallSpec,
    isWanted: () => Promise<boolean>,
    call: (client: WebClient) => Promise<unknown>,
    maxWaitMs: number,
  ): Promise<boolean> {
    const client = await this.client(team);
    const deadline = Date.now() + maxWaitMs;
    const isAllowed = await this.inLine(team.teamId, spec, async () => {
      while (Date.now() < deadline && (await isWanted())) {
        const waitMs = await this.take(team.teamId, spec);
        if (waitMs <= 0) return true;
        await this.wait(Math.min(waitMs, Math.max(1, deadline - Date.now())));
      }
      return false;
    });
    if (isAllowed) await this.tried(spec, () => call(client));
    return isAllowed;
  }

  /** The call, tried again after a network failure or a Slack hiccup (up to `retries` times), asking `recover` first. */
  private async tried<T>(spec: CallSpec, call: () => Promise<T>, recover?: Recover<T>): Promise<T> {
    const retries = this.deps.retries ?? 0;
    for (let retry = 0; ; retry++) {
      try {
        return await call();
      } catch (error) {
        if (retry >= retries || !isTransient(error)) throw error;
        const backoffMs = Math.min(RETRY_FIRST_MS * 2 ** retry, RETRY_MAX_MS);
        this.deps.log.warn({ event: 'slack.call.retry', method: spec.method, backoffMs, ...failureFields(error) });
        await this.wait(backoffMs);
        const done = await recover?.();
        if (done !== undefined) return done;
      }
    }
  }

  /** How long until the method's budget would allow a call (0: now, and it is counted), or -1 without Redis. */
  private take(teamId: string, spec: CallSpec, reserve = 0): Promise<number> {
    const { method, channel, oldestFirst } = spec;
    return this.deps.budgets.take(teamId, method, { channel, reserve, oldestFirst }).catch((error: unknown) => {
      this.deps.log.warn({ event: 'slack.writer.budget.unavailable', teamId, err: error });
      return NO_BUDGET;
    });
  }

  /** True when the budget gave the call a token with `spare.reserve` left; false after `spare.maxWaitMs`. */
  private spareTurn(teamId: string, spec: CallSpec, spare: SpareWait): Promise<boolean> {
    const deadline = Date.now() + spare.maxWaitMs;
    return this.inLine(
      teamId,
      spec,
      async () => {
        for (;;) {
          const waitMs = await this.take(teamId, spec, spare.reserve);
          if (waitMs <= 0) return waitMs === 0;
          if (Date.now() >= deadline) return false;
          await this.wait(Math.min(waitMs, deadline - Date.now()));
        }
      },
      'spare',
    );
  }

  private acquire(teamId: string, spec: CallSpec): Promise<void> {
    return this.inLine(teamId, spec, async () => {
      for (let waitMs = await this.take(teamId, spec); waitMs > 0; waitMs = await this.take(teamId, spec)) {
        await this.wait(waitMs);
      }
    });
  }

  /**
   * Runs `wait` (a wait for the budget) at this call's turn: calls waiting on one bucket (in one `lane`) line up in
   * this process and only the first asks Redis, so they go in the order they were made (answers land in the order
   * sessions finished), none is overtaken, and a crowd of waiters does not wake at every token.
   */
  private async inLine<T>(teamId: string, spec: CallSpec, wait: () => Promise<T>, lane = ''): Promise<T> {
    const key = `${teamId} ${spec.method} ${spec.channel ?? ''} ${lane}`;
    const ahead = this.lines.get(key);
    let leave!: () => void;
    const turn = new Promise<void>((resolve) => (leave = resolve));
    const line = ahead ? ahead.then(() => turn) : turn;
    this.lines.set(key, line);
    try {
      // Waiting for the calls ahead is a wait for budget too: it must not hold other work back as foreground.
      if (ahead) await this.aside(() => ahead);
      return await wait();
    } finally {
      leave();
      if (this.lines.get(key) === line) this.lines.delete(key);
    }
  }

  private wait(ms: number): Promise<unknown> {
    return this.aside(() => sleep(ms));
  }

  private aside<T>(waiting: () => Promise<T>): Promise<T> {
    return this.deps.foreground ? this.deps.foreground.aside(waiting) : waiting();
  }

  private async pause(teamId: string, spec: CallSpec, ms: number): Promise<void> {
    try {
      await this.deps.budgets.pause(teamId, spec.method, ms, spec.channel);
    } catch (error) {
      this.deps.log.warn({ event: 'slack.writer.budget.unavailable', teamId, err: error });
      await sleep(ms);
    }
  }

  private async client(team: TeamRef): Promise<WebClient> {
    const client = await this.deps.slack.forTeam(team);
    this.deps.onClient?.(client, team);
    return client;
  }
}
