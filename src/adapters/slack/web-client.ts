import { WebClient, type WebClientOptions } from '@slack/web-api';
import { setTimeout as sleep } from 'node:timers/promises';
import { metrics } from '../../ops/metrics';
import type { SlackBudgets } from './writer/redis-budget';

type Fetch = NonNullable<WebClientOptions['fetch']>;

/**
 * The platform's fetch, counting each Web API call and each 429 by Slack method for /metrics, and giving up on a call
 * Slack has not answered within `timeoutMs` (a request error, which callers treat as a network failure: the writer
 * looks for a post before sending it again). Only the exchange is timed, never a wait for a budget before it.
 */
const countingFetch =
  (timeoutMs: number): Fetch =>
  async (input, init) => {
    const method = new URL(String(input)).pathname.split('/').pop() || 'unknown';
    metrics.slackCalls.inc({ method });
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const response = await fetch(input, { ...init, signal });
    if (response.status === 429) metrics.slackRateLimited.inc({ method });
    return response;
  };

// A call that Slack keeps answering with 429 reaches its caller as a rate-limit error after this many tries.
const ATTEMPTS = 3;
// Without a usable Retry-After, wait this long.
const DEFAULT_RETRY_AFTER_MS = 3_000;
// The token of a client that is not bound to a workspace (single-workspace mode) is budgeted under this id.
const ANY_TEAM = '_';

/** The workspace and channel of a Web API call, from its form body (clients bound to a workspace add `team_id`). */
function fieldsOf(body: unknown): { teamId: string; channel: string | undefined } {
  const read = (name: string): string | undefined => {
    if (typeof body === 'string') return new URLSearchParams(body).get(name) ?? undefined;
    if (body instanceof FormData) {
      const value = body.get(name);
      return typeof value === 'string' ? value : undefined;
    }
    return undefined;
  };
  return { teamId: read('team_id') ?? ANY_TEAM, channel: read('channel') };
}

/**
 * A fetch that spends each Web API call's own method budget in Redis before sending it, and on a 429 pauses that
 * method (in every process) and tries again after Retry-After. The client never holds other methods' calls for it.
 * URLs outside the Web API (file upload targets) pass straight through.
 */
function budgetedFetch(apiUrl: string, budgets: SlackBudgets, send: Fetch): Fetch {
  return async (input, init) => {
    const url = String(input);
    if (!url.startsWith(apiUrl)) return send(input, init);
    const method = url.slice(apiUrl.length).split('?')[0] ?? '';
    const { teamId, channel } = fieldsOf(init?.body);
    const take = () => budgets.take(teamId, method, { channel }).catch(() => 0);
    for (let attempt = 1; ; attempt++) {
      for (let waitMs = await take(); waitMs > 0; waitMs = await take()) await sleep(waitMs);
      const response = await send(input, init);
      if (response.status !== 429 || attempt >= ATTEMPTS) return response;
      const retryAfterMs = Number(response.headers.get('retry-after')) * 1000 || DEFAULT_RETRY_AFTER_MS;
      await budgets.pause(teamId, method, retryAfterMs, channel).catch(() => sleep(retryAfterMs));
    }
  };
}

/**
 * Options every outbound client shares: the configurable API URL, a bounded retry policy, a time limit on each call,
 * and 429s that reach the caller instead of pausing the whole client (so one method's Retry-After never holds another
 * method's calls). With `budgets`, every call spends its method's budget first; the session writer, which spends
 * budgets itself, gets clients without.
 */
export function webClientOptions(
  apiUrl: string,
  retries: number,
  { budgets, timeoutMs }: { budgets?: SlackBudgets; timeoutMs: number },
): WebClientOptions {
  const send = countingFetch(timeoutMs);
  return {
    slackApiUrl: apiUrl,
    retryConfig: { retries, factor: 2, minTimeout: 500, maxTimeout: 10_000 },
    rejectRateLimitedCalls: true,
    // Calls waiting for their method's budget hold a slot; others must not queue behind them.
    maxRequestConcurrency: 1_000,
    fetch: budgets ? budgetedFetch(apiUrl, budgets, send) : send,
  };
}

export const createWebClient = (token: string | undefined, options: WebClientOptions): WebClient =>
  new WebClient(token, options);
