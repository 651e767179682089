/**
 * Slack's published Web API limits (slack-platform.md §3.1) as token buckets: a tier per method and workspace,
 * `chat.postMessage` about one a second per channel plus a workspace-wide cap, short bursts allowed. The fake Slack
 * answers 429 with `Retry-After` beyond them, and the bench uses the same buckets to compute the floor a run's
 * limits impose, so Baton's figures are compared with what Slack itself would allow.
 */
export interface BucketSpec {
  perMinute: number;
  /** Calls allowed back to back before the rate applies. */
  burst: number;
}

const tier = (perMinute: number): BucketSpec => ({ perMinute, burst: Math.max(2, Math.ceil(perMinute / 10)) });
export const TIER_2 = tier(20);
export const TIER_3 = tier(50);
export const TIER_4 = tier(100);
/** Methods Slack calls "special" with limits in the hundreds a minute. */
const SPECIAL = tier(300);

/** `chat.postMessage`: about 1 a second per channel with bursts, and a cap of several hundred a minute per workspace. */
export const POST_PER_CHANNEL: BucketSpec = { perMinute: 60, burst: 4 };
export const POST_PER_WORKSPACE: BucketSpec = { perMinute: 300, burst: 30 };

/** The per-workspace bucket of each method Baton calls; methods not listed get Tier 3. */
export const METHOD_LIMITS: Readonly<Record<string, BucketSpec>> = {
  'chat.update': TIER_3,
  'chat.postEphemeral': TIER_4,
  'chat.delete': TIER_3,
  'chat.getPermalink': SPECIAL,
  'chat.startStream': TIER_2,
  'chat.appendStream': TIER_4,
  'chat.stopStream': TIER_2,
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
  'search.messages': TIER_2,
  'auth.test': SPECIAL,
  'team.info': TIER_3,
};

export const limitOf = (method: string): BucketSpec => METHOD_LIMITS[method] ?? TIER_3;

/** A token bucket on an injected clock: `take(now)` answers 0 when the call may go, else the ms until it may. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly spec: BucketSpec,
    now: number,
  ) {
    this.tokens = spec.burst;
    this.at = now;
  }

  private refill(now: number): void {
    if (now <= this.at) return;
    this.tokens = Math.min(this.spec.burst, this.tokens + ((now - this.at) * this.spec.perMinute) / 60_000);
    this.at = now;
  }

  /** Ms until one token is available at `now` (0 when it is). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 60_000) / this.spec.perMinute);
  }

  /** Like `waitMs`, without refilling: asking about a later moment leaves the bucket as it was. */
  peekMs(now: number): number {
    const gained = Math.max(0, now - this.at) * (this.spec.perMinute / 60_000);
    const tokens = Math.min(this.spec.burst, this.tokens + gained);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 60_000) / this.spec.perMinute);
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }
}

/** The buckets one call must pass: the method's per-workspace bucket, and for posts the channel and workspace caps. */
export function bucketKeys(method: string, team: string, channel: string | undefined): Array<[string, BucketSpec]> {
  if (method === 'chat.postMessage') {
    return [
      [`post ${team} ${channel ?? ''}`, POST_PER_CHANNEL],
      [`post ${team}`, POST_PER_WORKSPACE],
    ];
  }
  return [[`${method} ${team}`, limitOf(method)]];
}

/** Every bucket of one fake Slack (or one floor simulation), created on first use. */
export class SlackLimits {
  private readonly buckets = new Map<string, TokenBucket>();

  private bucket(key: string, spec: BucketSpec, now: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(spec, now)));
    return bucket;
  }

  /** Ms the call must still wait at `now`; when 0 the call is counted against every bucket it passes. */
  admit(method: string, team: string, channel: string | undefined, now: number): number {
    const buckets = bucketKeys(method, team, channel).map(([key, spec]) => this.bucket(key, spec, now));
    const waitMs = Math.max(...buckets.map((b) => b.waitMs(now)));
    if (waitMs === 0) for (const b of buckets) b.take(now);
    return waitMs;
  }

  /** The earliest moment at or after `at` the call could go, counted as made then (for floor simulations). */
  earliest(method: string, team: string, channel: string | undefined, at: number): number {
    let now = at;
    for (
      let waitMs = this.admit(method, team, channel, now);
      waitMs > 0;
      waitMs = this.admit(method, team, channel, now)
    ) {
      now += waitMs;
    }
    return now;
  }

  /** The earliest moment at or after `at` the call could go, without counting it (to choose between methods). */
  peek(method: string, team: string, channel: string | undefined, at: number): number {
    const buckets = bucketKeys(method, team, channel).map(([key, spec]) => this.bucket(key, spec, at));
    let now = at;
    for (let waitMs = Math.max(...buckets.map((b) => b.peekMs(now))); waitMs > 0;) {
      now += waitMs;
      waitMs = Math.max(...buckets.map((b) => b.peekMs(now)));
    }
    return now;
  }

  reset(): void {
    this.buckets.clear();
  }
}
