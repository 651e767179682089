import type { Redis } from 'ioredis';
import { metrics } from '../../../ops/metrics';

export interface BudgetOptions {
  /** Slack's published rate: calls per workspace per `windowMs` (Tier 3 is "50+ a minute"). */
  perWindow: number;
  windowMs: number;
  /** Calls that may go back to back (Slack allows short bursts); after them calls go at the rate. */
  burst: number;
}

const MINUTE_MS = 60_000;
const tier = (perWindow: number, burst: number): BudgetOptions => ({ perWindow, windowMs: MINUTE_MS, burst });
const TIER_2 = tier(20, 2);
const TIER_3 = tier(50, 5);
const TIER_4 = tier(100, 10);
/** Methods Slack calls "special" with limits in the hundreds a minute. */
const SPECIAL = tier(300, 30);

/**
 * Slack's per-workspace limits of the methods Baton calls (slack-platform.md §3.1). Methods not listed get Tier 3.
 * `chat.postMessage` has two: about one a second per channel, and a workspace-wide cap.
 */
const METHOD_BUDGETS: Readonly<Record<string, BudgetOptions>> = {
  'chat.postMessage': SPECIAL,
  'chat.update': TIER_3,
  'chat.postEphemeral': TIER_4,
  'chat.delete': TIER_3,
  'chat.getPermalink': SPECIAL,
  'conversations.replies': TIER_3,
  'conversations.history': TIER_3,
  'conversations.info': TIER_3,
  'conversations.members': TIER_4,
  'users.info': TIER_4,
  'usergroups.users.list': TIER_2,
  'reactions.add': TIER_3,
  'reactions.remove': TIER_3,
  'views.open': TIER_4,
  'views.push': TIER_4,
  'views.update': TIER_4,
  'views.publish': TIER_4,
  'assistant.threads.setStatus': TIER_3,
  'agents.sessions.setStatus': TIER_3,
  'files.getUploadURLExternal': TIER_4,
  'files.completeUploadExternal': TIER_4,
  'auth.test': SPECIAL,
  'team.info': TIER_3,
};
const POST_PER_CHANNEL: BudgetOptions = tier(60, 4);

/** The `chat.update` budget for `perWindow` calls a window (Tier 3: 50 a minute), with a tenth (at most 5) as burst. */
export function slackUpdateBudget(perWindow = 50, windowMs = MINUTE_MS, burst?: number): BudgetOptions {
  const allowed = burst ?? Math.min(5, Math.max(1, Math.floor(perWindow / 10)));
  return { perWindow, windowMs, burst: Math.min(allowed, perWindow) };
}

// A token bucket per key (one hash each: `tokens`, `at` = ms of the last refill, `until` = end of a pause). A bucket
// refills at perWindow / windowMs per ms, Slack's published rate, and holds at most `burst`. A call takes one token
// from every key at once, or from none. `reserve` keeps that many tokens for calls that ask without one (a person
// waiting beats a progress signal). With a last key after the `buckets`, the call also waits while that sorted set
// holds a card whose final state some process expects (score: until when), asking again at least every
// FINALS_POLL_MS. Time comes from the Redis server, so every process sees one clock.
//
// A call reaches Slack a while after it took its token, and under load calls arrive closer together than they took
// their tokens (a busy event loop, two processes): Slack, counting arrivals, would then find its bucket emptier than
// ours. So a call that would leave less than ARRIVAL_SLACK_MS of refill in the bucket waits for it (a call with a
// reserve already leaves more): Slack's bucket then has that much room for calls that arrive early. The rate is
// Slack's; only the last token of a burst goes a moment later.
//
// Live card updates and progress signals go oldest first across processes. With a last key (a hash: each waiting
// process's `since until`), a process asks with how long the card it would send has waited (`waited`: unsent state,
// or unchanged); while another process waits with a card waiting since earlier, it goes first. Each process picks its
// own longest-waiting card, so the workspace's budget reaches its longest-waiting card wherever it runs, as in one
// process: each card its fair share, where asking in turn gave each process half. A process that must wait is noted
// until it said it would ask again (`again` ms, or when told to) and TURN_GRACE_MS more; one that gets its turn, asks
// with no card waiting (`waited` -1: a final state, which waits for nobody) or does not come back is not waiting.
const FINALS_POLL_MS = 250;
const ARRIVAL_SLACK_MS = 500;
const TURN_POLL_MS = 200;
const TURN_GRACE_MS = 500;
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local reserve, ttl, buckets = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local hasFinals, holder, waited = ARGV[4] == '1', ARGV[5], tonumber(ARGV[6])
local wait = 0
local tokens = {}
if hasFinals then
  local finals = KEYS[buckets + 1]
  redis.call('ZREMRANGEBYSCORE', finals, '-inf', now)
  local first = redis.call('ZRANGE', finals, 0, 0, 'WITHSCORES')
  if first[2] then wait = math.min(tonumber(first[2]) - now, ${FINALS_POLL_MS}) end
end
for i = 1, buckets do
  local key = KEYS[i]
  local capacity, rate = tonumber(ARGV[7 + 2 * i]), tonumber(ARGV[8 + 2 * i])
  local s = redis.call('HMGET', key, 'tokens', 'at', 'until')
  local untilMs = tonumber(s[3]) or 0
  if now < untilMs then wait = math.max(wait, untilMs - now) end
  local at = tonumber(s[2]) or now
  local tk = math.min(capacity, (tonumber(s[1]) or capacity) + math.max(0, now - at) * rate)
  local need = math.min(capacity, 1 + math.max(math.min(reserve, capacity - 1), rate * ${ARRIVAL_SLACK_MS}))
  if tk < need then wait = math.max(wait, math.ceil((need - tk) / rate)) end
  tokens[i] = tk
end
if holder ~= '' then
  local queue, since, othersMin = KEYS[#KEYS], now - waited, nil
  local entries = redis.call('HGETALL', queue)
  for i = 1, #entries, 2 do
    local name = entries[i]
    local theirs, untilMs = string.match(entries[i + 1], '^(%S+) (%S+)$')
    theirs, untilMs = tonumber(theirs), tonumber(untilMs)
    if now > untilMs then
      redis.call('HDEL', queue, name)
    elseif name ~= holder and (othersMin == nil or theirs < othersMin) then
      othersMin = theirs
    end
  end
  if waited >= 0 and othersMin ~= nil and othersMin < since then wait = math.max(wait, tonumber(ARGV[8])) end
  if waited >= 0 and wait > 0 then
    local again = tonumber(ARGV[7])
    if again < 0 then again = wait end
    redis.call('HSET', queue, holder, since .. ' ' .. (now + again + ${TURN_GRACE_MS}))
    redis.call('PEXPIRE', queue, ttl)
  else
    redis.call('HDEL', queue, holder)
  end
end
if wait > 0 then return wait end
for i = 1, buckets do
  redis.call('HSET', KEYS[i], 'tokens', tostring(tokens[i] - 1), 'at', now)
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return 0
`;

// A card's final state is expected (KEYS[1]: the workspace's sorted set of them) until ARGV[1] ms from now.
const EXPECT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1])) end
`;

// After a 429 nobody sends this method (in this workspace, or this channel for posts) until the pause ends; then
// one call may go at once and refill resumes.
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = math.max(tonumber(redis.call('HGET', KEYS[1], 'until')) or 0, now + tonumber(ARGV[1]))
redis.call('HSET', KEYS[1], 'until', untilMs, 'at', untilMs, 'tokens', 1)
redis.call('PEXPIRE', KEYS[1], untilMs - now + tonumber(ARGV[2]))
return untilMs - now
`;

/** The two scripts as client commands: ioredis sends each by its SHA and the whole script only when Redis lacks it. */
interface BudgetScripts {
  slackBudgetTake(keyCount: number, ...keysAndArgs: Array<string | number>): Promise<unknown>;
  slackBudgetPause(keyCount: number, ...keysAndArgs: Array<string | number>): Promise<unknown>;
  slackBudgetExpect(keyCount: number, ...keysAndArgs: Array<string | number>): Promise<unknown>;
}

export interface TakeOptions {
  /** For `chat.postMessage`: the channel, whose own budget is taken too. */
  channel?: string | undefined;
  /** Leave this many tokens for others (progress signals pass it so people's calls go first). */
  reserve?: number;
  /** For a live card's update: wait while any process expects a card of the workspace to turn final. */
  isBehindFinals?: boolean;
  /**
   * For live card updates and progress signals: this process (`holder`) and how long the card it would send has waited
   * (`waitedMs`). While another process asks for a card that has waited longer, that one goes first. Without
   * `waitedMs` (a final state) the call waits for nobody and this process waits no longer. `asksAgainWithinMs`: when
   * this process asks again if it still has the card waiting (a pulse's tick); by default after the wait it is told.
   */
  oldestFirst?: { holder: string; waitedMs?: number | undefined; asksAgainWithinMs?: number };
}

/**
 * Every Slack method's call budget per workspace, shared by every process using the same Redis and prefix. A 429 on
 * one method pauses that method only, so an answer never waits for a status update.
 */
export class SlackBudgets {
  private readonly budgets: Record<string, BudgetOptions>;
  private readonly scripts: BudgetScripts;

  /** `overrides` replaces the budget of some methods (tests use tight ones). */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    overrides: Record<string, BudgetOptions> = {},
  ) {
    this.budgets = { ...METHOD_BUDGETS, ...overrides };
    // Every Slack call asks Redis first: by the script's SHA, with its text only when Redis has not seen it yet.
    redis.defineCommand('slackBudgetTake', { lua: TAKE });
    redis.defineCommand('slackBudgetPause', { lua: PAUSE });
    redis.defineCommand('slackBudgetExpect', { lua: EXPECT });
    this.scripts = redis as Redis & BudgetScripts;
  }

  budgetOf(method: string): BudgetOptions {
    return this.budgets[method] ?? TIER_3;
  }

  /** The buckets a call passes: the method's per workspace, and for posts first the channel's. */
  private buckets(teamId: string, method: string, channel: string | undefined): Array<[string, BudgetOptions]> {
    const base = `${this.prefix}:slack-budget:${teamId}:${method}`;
    const own: [string, BudgetOptions] = [base, this.budgetOf(method)];
    if (method !== 'chat.postMessage' || !channel) return [own];
    return [[`${base}:${channel}`, POST_PER_CHANNEL], own];
  }

  /** 0 when a call may go now (it is counted); otherwise how many ms to wait before asking again. */
  async take(teamId: string, method: string, options: TakeOptions = {}): Promise<number> {
    const buckets = this.buckets(teamId, method, options.channel);
    const args = buckets.flatMap(([, b]) => [b.burst, b.perWindow / b.windowMs]);
    const ttl = 2 * Math.max(...buckets.map(([, b]) => b.windowMs));
    const keys = buckets.map(([key]) => key);
    if (options.isBehindFinals) keys.push(this.finalsKey(teamId));
    const { oldestFirst } = options;
    if (oldestFirst) keys.push(`${this.prefix}:slack-turns:${teamId}:${method}`);
    // One whose turn it is not asks again at the next refill, and within TURN_POLL_MS (the other may go quiet).
    const { windowMs, perWindow } = this.budgetOf(method);
    const notYourTurnMs = Math.min(TURN_POLL_MS, Math.ceil(windowMs / perWindow));
    const waitMs = Number(
      await this.scripts.slackBudgetTake(
        keys.length,
        ...keys,
        options.reserve ?? 0,
        ttl,
        buckets.length,
        options.isBehindFinals ? 1 : 0,
        oldestFirst?.holder ?? '',
        oldestFirst?.waitedMs === undefined ? -1 : Math.max(0, Math.round(oldestFirst.waitedMs)),
        oldestFirst?.asksAgainWithinMs ?? -1,
        notYourTurnMs,
        ...args,
      ),
    );
    if (waitMs > 0) metrics.budgetWaits.inc({ method });
    return waitMs;
  }

  /**
   * A card's final state is on its way (or waiting for budget) in this process: every process's live card updates
   * of the workspace wait for it (see `isBehindFinals`) until it is sent or `holdMs` lapses.
   */
  async expectFinal(teamId: string, card: string, holdMs: number): Promise<void> {
    await this.scripts.slackBudgetExpect(1, this.finalsKey(teamId), Math.ceil(holdMs), card);
  }

  /** The card's final state was sent (or given up): live cards need not wait for it any more. */
  async finalDone(teamId: string, card: string): Promise<void> {
    await this.redis.zrem(this.finalsKey(teamId), card);
  }

  private finalsKey(teamId: string): string {
    return `${this.prefix}:slack-finals:${teamId}`;
  }

  /** Stops every process from calling `method` for `ms` (Slack's Retry-After); for posts, in that channel. */
  async pause(teamId: string, method: string, ms: number, channel?: string): Promise<void> {
    const [[key, budget]] = this.buckets(teamId, method, channel) as [[string, BudgetOptions]];
    await this.scripts.slackBudgetPause(1, key, Math.ceil(ms), 2 * budget.windowMs);
  }
}
