import { LRUCache } from 'lru-cache';
import { slackErrorCode } from '../errors';

const KEPT = 10_000;

interface Line {
  /** Status calls started, and how many of them are still on their way. */
  started: number;
  sending: number;
  /** False only when the app replied in the thread after every status call this process made there. */
  mayShow: boolean;
}

/**
 * What this process knows of the status lines it sets in threads. Slack clears a thread's status line when the app
 * replies in the thread, so a session whose answer was posted after its last status needs no call to clear it. A
 * status call on its way while the reply went could land after it, so such a reply proves nothing. Threads this
 * process set no status in are unknown, and are cleared as before.
 */
export class ThreadStatusLines {
  private readonly lines = new LRUCache<string, Line>({ max: KEPT });

  /** Sends a status line (not a clear) to the thread. */
  async set<T>(channel: string, threadTs: string, call: () => Promise<T>): Promise<T> {
    const key = `${channel} ${threadTs}`;
    const line = this.lines.get(key) ?? { started: 0, sending: 0, mayShow: true };
    this.lines.set(key, line);
    line.started++;
    line.sending++;
    line.mayShow = true;
    try {
      return await call();
    } finally {
      line.sending--;
    }
  }

  /** Posts the app's reply in the thread. */
  async reply<T>(channel: string, threadTs: string, post: () => Promise<T>): Promise<T> {
    const line = this.lines.get(`${channel} ${threadTs}`);
    const started = line?.sending === 0 ? line.started : undefined;
    const posted = await post();
    if (line && line.started === started) line.mayShow = false;
    return posted;
  }

  /** Whether the thread may still show a status this process set; forgets the thread either way. */
  takeMayShow(channel: string, threadTs: string): boolean {
    const key = `${channel} ${threadTs}`;
    const line = this.lines.get(key);
    this.lines.delete(key);
    return line === undefined || line.mayShow || line.sending > 0;
  }
}

/** Slack errors that say a workspace does not offer the agent surface to this app (not that one call was wrong). */
const NO_SURFACE = new Set(['feature_not_enabled', 'not_allowed_token_type', 'missing_scope', 'unknown_method']);
const NO_SURFACE_KEPT_MS = 10 * 60_000;

/**
 * Workspaces whose Slack refused the agent surface (`agents.sessions.*`) lately: each refusal spends that method's
 * budget and delays the thread status that follows, so such a workspace is asked again only after ten minutes (a
 * plan or app that gains the surface is seen then).
 */
export class AgentSurfaces {
  private readonly missing: LRUCache<string, true>;

  constructor(now?: () => number) {
    this.missing = new LRUCache({
      max: KEPT,
      ttl: NO_SURFACE_KEPT_MS,
      ttlResolution: 0,
      ...(now ? { perf: { now } } : {}),
    });
  }

  isMissing(teamId: string): boolean {
    return this.missing.has(teamId);
  }

  /** Remembers the workspace when `error` says it has no agent surface. */
  refused(teamId: string, error: unknown): void {
    const code = slackErrorCode(error);
    if (code !== undefined && NO_SURFACE.has(code)) this.missing.set(teamId, true);
  }
}
