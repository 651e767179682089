import { type WebClient, WebClientEvent } from '@slack/web-api';
import type { Redis } from 'ioredis';
import type { Logger } from '../../../log';
import type { SlackClients, TeamRef } from '../../../ports/slack-clients';
import type { CardContent, Persona, SessionChat, SessionThread } from '../../../ports/session-chat';
import { ignoreSlackErrors } from '../errors';
import { CardLane } from './card-lane';
import { RedisBudget } from './redis-budget';
import { ThreadPoster, type ThreadPostLog } from './thread-poster';

export interface SlackThreadWriterOptions {
  slack: SlackClients;
  /** A connected client; the `chat.update` budget lives here so every process shares it. */
  redis: Redis;
  /** Redis key prefix. */
  prefix: string;
  posts: ThreadPostLog;
  log: Logger;
  /** `chat.update` calls per workspace per `windowMs`, from every process together (Slack Tier 3: 50/min). */
  cardsPerMinute?: number;
  windowMs?: number;
  /** Of those, how many may go back to back; default a tenth, at most 5. */
  burst?: number;
  /** Replies longer than this are split at paragraph or line breaks. */
  splitAboveChars?: number;
  /** Replies longer than this are uploaded as `answer.md` instead. */
  fileAboveChars?: number;
  /** How long `close()` waits for final card states; default 10 s (it runs after the worker's 25 s grace). */
  closeTimeoutMs?: number;
}

const UPDATE_METHOD = 'chat.update';

export class SlackThreadWriter implements SessionChat {
  private readonly lanes = new Map<string, CardLane>();
  private readonly watchedClients = new WeakSet<WebClient>();
  private readonly budget: RedisBudget;
  private readonly poster: ThreadPoster;
  private isClosed = false;

  constructor(private readonly options: SlackThreadWriterOptions) {
    const perWindow = options.cardsPerMinute ?? 50;
    const burst = options.burst ?? Math.min(5, Math.max(1, Math.floor(perWindow / 10)));
    this.budget = new RedisBudget(options.redis, options.prefix, UPDATE_METHOD, {
      perWindow,
      windowMs: options.windowMs ?? 60_000,
      burst: Math.min(burst, perWindow),
    });
    this.poster = new ThreadPoster({
      slack: options.slack,
      posts: options.posts,
      log: options.log,
      onClient: (client, team) => this.watch(client, team),
      splitAboveChars: options.splitAboveChars ?? 3_500,
      fileAboveChars: options.fileAboveChars ?? 12_000,
    });
  }

  postCard(
    team: TeamRef,
    sessionId: string,
    channel: string,
    threadTs: string,
    persona: Persona,
    card: CardContent,
  ): Promise<string> {
    return this.poster.postCard({ team, sessionId, channel, threadTs }, persona, card);
  }

  async updateCard(team: TeamRef, channel: string, ts: string, card: CardContent, isFinal: boolean): Promise<void> {
    if (this.isClosed) {
      this.options.log.warn({ event: 'slack.writer.card.after_close', teamId: team.teamId, channel, ts, isFinal });
      return;
    }
    this.lane(team).enqueue({ channel, ts, card, isFinal, attempts: 0 });
  }

  post(
    team: TeamRef,
    sessionId: string,
    postKey: string,
    channel: string,
    threadTs: string,
    persona: Persona,
    text: string,
  ): Promise<void> {
    return this.poster.post({ team, sessionId, channel, threadTs }, postKey, persona, text);
  }

  postMessages(thread: SessionThread, postKey: string, persona: Persona, messages: CardContent[]): Promise<void> {
    return this.poster.postMessages(thread, postKey, persona, messages);
  }

  updatePost(thread: SessionThread, postKey: string, message: CardContent): Promise<void> {
    return this.poster.updatePost(thread, postKey, message);
  }

  async react(team: TeamRef, channel: string, ts: string, name: string, isOn: boolean): Promise<void> {
    const client = await this.options.slack.forTeam(team);
    this.watch(client, team);
    if (isOn) {
      await ignoreSlackErrors(['already_reacted', 'message_not_found'], () =>
        client.reactions.add({ channel, timestamp: ts, name }),
      );
    } else {
      await ignoreSlackErrors(['no_reaction', 'message_not_found'], () =>
        client.reactions.remove({ channel, timestamp: ts, name }),
      );
    }
  }

  async postEphemeral(team: TeamRef, channel: string, user: string, threadTs: string, text: string): Promise<void> {
    const client = await this.options.slack.forTeam(team);
    this.watch(client, team);
    // Someone who left the channel meanwhile cannot be told there; nothing else is lost.
    await ignoreSlackErrors(['user_not_in_channel', 'channel_not_found'], () =>
      client.chat.postEphemeral({ channel, user, thread_ts: threadTs, text }),
    );
  }

  /**
   * Slack's agent surface first (processing while working, closed when cleared), else the assistant thread status.
   * The card is always the fallback, so a refusal (older plans, missing scope, no agent surface) is only logged.
   */
  async setThreadStatus(
    team: TeamRef,
    channel: string,
    threadTs: string,
    status: string,
    session?: { title: string; initiatorId: string },
  ): Promise<void> {
    const client = await this.options.slack.forTeam(team).catch((error: unknown) => {
      this.options.log.debug({ event: 'slack.thread_status.unavailable', err: error });
    });
    if (!client) return;
    try {
      await client.agents.sessions.setStatus({
        channel_id: channel,
        thread_ts: threadTs,
        status: status ? 'processing' : 'closed',
        ...(session ? { title: session.title.slice(0, 200), initiator_user_id: session.initiatorId } : {}),
      });
      return;
    } catch (error) {
      this.options.log.debug({ event: 'slack.agent_session_status.unavailable', err: error });
    }
    try {
      await client.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status });
    } catch (error) {
      this.options.log.debug({ event: 'slack.thread_status.unavailable', err: error });
    }
  }

  async flush(): Promise<void> {
    while (![...this.lanes.values()].every((lane) => lane.isIdle)) {
      await Promise.all([...this.lanes.values()].map((lane) => lane.whenIdle()));
    }
  }

  /** Sends the final card states still pending (dropping the others), then stops. */
  async close(): Promise<void> {
    this.isClosed = true;
    for (const lane of this.lanes.values()) lane.dropNonFinal();
    const timeoutMs = this.options.closeTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
    const isTimedOut = await Promise.race([this.flush().then(() => false), timedOut]);
    clearTimeout(timer);
    if (isTimedOut) this.options.log.warn({ event: 'slack.writer.close.timed_out', timeoutMs });
    for (const lane of this.lanes.values()) lane.stop();
  }

  private lane(team: TeamRef): CardLane {
    let lane = this.lanes.get(team.teamId);
    if (!lane) {
      lane = new CardLane({
        team,
        slack: this.options.slack,
        budget: this.budget,
        log: this.options.log,
        onClient: (client) => this.watch(client, team),
      });
      this.lanes.set(team.teamId, lane);
    }
    return lane;
  }

  // A client without `rejectRateLimitedCalls` waits out a 429 itself; this still pauses the workspace for everyone.
  private watch(client: WebClient, { teamId }: TeamRef): void {
    if (this.watchedClients.has(client)) return;
    this.watchedClients.add(client);
    client.on(WebClientEvent.RATE_LIMITED, (retryAfterSec: number, request: { url?: string }) => {
      if (!request.url?.endsWith(`/${UPDATE_METHOD}`)) return;
      const ms = retryAfterSec * 1000;
      const lane = this.lanes.get(teamId);
      const paused = lane ? lane.pause(ms) : this.budget.pause(teamId, ms);
      paused.catch((error: unknown) =>
        this.options.log.warn({ event: 'slack.writer.budget.unavailable', teamId, err: error }),
      );
    });
  }
}
