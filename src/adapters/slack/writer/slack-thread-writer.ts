import { randomUUID } from 'node:crypto';
import { type WebClient, WebClientEvent } from '@slack/web-api';
import type { Redis } from 'ioredis';
import type { Logger } from '../../../log';
import type { Foreground } from '../../../ops/foreground';
import { within } from '../../../ops/within';
import type { SlackClients, TeamRef } from '../../../ports/slack-clients';
import type {
  CardContent,
  CardPlace,
  CardState,
  Persona,
  SessionChat,
  SessionThread,
  SettledReactions,
} from '../../../ports/session-chat';
import { ignoreSlackErrors } from '../errors';
import { BudgetedCalls } from './budgeted-calls';
import { CardLane } from './card-lane';
import { ProgressPulse, SETTLE } from './progress-pulse';
import { SlackBudgets, slackUpdateBudget } from './redis-budget';
import { SentReactions } from './sent-reactions';
import { ThreadPoster, type ThreadPostLog } from './thread-poster';
import { AgentSurfaces, ThreadStatusLines } from './thread-status';

export interface SlackThreadWriterOptions {
  slack: SlackClients;
  /** A connected client; every method's budget lives here so every process shares it. */
  redis: Redis;
  /** Redis key prefix. */
  prefix: string;
  posts: ThreadPostLog;
  log: Logger;
  /** Waits for a budget inside foreground work do not hold back this process's background work. */
  foreground?: Pick<Foreground, 'aside'>;
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
  /** A live card unchanged for this long gets a thread status or its pulse reaction instead; default 5 s. */
  pulseAfterMs?: number;
  /** Workspaces whose card lane is kept once idle (least recently used go first); default 500. */
  maxLanes?: number;
  /**
   * Tries after a network failure or a Slack hiccup; default 3. `slack`'s clients must retry nothing themselves: the
   * writer looks for a keyed post in the thread before it sends it again.
   */
  retries?: number;
}

const UPDATE_METHOD = 'chat.update';
const LANES_KEPT = 500;
/** How long live cards wait for a final state that is on its way (its answer posting) before they go again. */
const FINAL_HOLD_MS = 5_000;
/**
 * A new card's status line goes with it only while the workspace's status budget is well stocked (a few sessions at
 * a time). In a burst of new cards, where each card is news already, the budget is left for cards that have gone
 * unchanged for a while, and a new card's line goes with its first progress signal.
 */
const FIRST_STATUS_RESERVE = 3;
/** A 👀 that waits for the reaction budget gives up after this long (the card has surely shown by then). */
const LATE_EYES_MS = 60_000;
/**
 * The card of a mention that has Baton's 👀 goes when the channel's post budget is full (Slack's burst of 4: no other
 * card is waiting or just went), so cards of mentions with no sign yet go first; it waits at most as long as a new
 * session's agent start waits for others' first signs (its agent starts once the card is up).
 */
const HEARD_CARD = { reserve: 3, maxWaitMs: 5_000 };

/** A mention whose 👀 waits for the reaction budget, while its card has not shown. */
interface LateEyes {
  channel: string;
  ts: string;
  isWanted: () => Promise<boolean>;
  until: number;
}

const addReaction = (client: WebClient, channel: string, ts: string, name: string) =>
  ignoreSlackErrors(['already_reacted', 'message_not_found'], () =>
    client.reactions.add({ channel, timestamp: ts, name }),
  );
const removeReaction = (client: WebClient, channel: string, ts: string, name: string) =>
  ignoreSlackErrors(['no_reaction', 'message_not_found'], () =>
    client.reactions.remove({ channel, timestamp: ts, name }),
  );

export class SlackThreadWriter implements SessionChat {
  // In order of use, least recent first: idle lanes past `maxLanes` are dropped from the front.
  private readonly lanes = new Map<string, CardLane>();
  private readonly watchedClients = new WeakSet<WebClient>();
  private readonly budgets: SlackBudgets;
  private readonly calls: BudgetedCalls;
  private readonly poster: ThreadPoster;
  private readonly pulse: ProgressPulse;
  private readonly statusLines = new ThreadStatusLines();
  private readonly surfaces = new AgentSurfaces();
  private readonly sentReactions: SentReactions;
  /** This process, as the workspaces' shared card and signal budgets know it. */
  private readonly holder = randomUUID();
  /** Per workspace, the mentions waiting for a late 👀, newest last. */
  private readonly lateEyes = new Map<string, LateEyes[]>();
  private isClosed = false;

  constructor(private readonly options: SlackThreadWriterOptions) {
    this.sentReactions = new SentReactions(options.redis, options.prefix);
    this.budgets = new SlackBudgets(options.redis, options.prefix, {
      [UPDATE_METHOD]: slackUpdateBudget(options.cardsPerMinute, options.windowMs, options.burst),
    });
    this.calls = new BudgetedCalls({
      slack: options.slack,
      budgets: this.budgets,
      log: options.log,
      foreground: options.foreground,
      onClient: (client, team) => this.watch(client, team),
      retries: options.retries ?? 3,
    });
    this.poster = new ThreadPoster({
      calls: this.calls,
      posts: options.posts,
      statusLines: this.statusLines,
      log: options.log,
      splitAboveChars: options.splitAboveChars ?? 3_500,
      fileAboveChars: options.fileAboveChars ?? 12_000,
    });
    this.pulse = new ProgressPulse({
      calls: this.calls,
      statusLines: this.statusLines,
      log: options.log,
      holder: this.holder,
      afterMs: options.pulseAfterMs ?? 5_000,
      tickMs: 250,
    });
  }

  async postCard(place: CardPlace, persona: Persona, card: CardContent, heardTs?: string): Promise<string> {
    const { team, channel, threadTs } = place;
    // Its person already has Baton's 👀: the channel's post budget goes first to cards of people with no sign yet.
    const isHeard = heardTs !== undefined && (await this.sentReactions.isNoted(team.teamId, channel, heardTs, 'eyes'));
    const ts = await this.poster.postCard(place, persona, card, isHeard ? HEARD_CARD : undefined);
    this.track(team, channel, ts, threadTs);
    return ts;
  }

  async postCardNow(place: CardPlace, persona: Persona, card: CardContent): Promise<string | undefined> {
    // The process that runs the session follows the card (followCard); this one may not.
    return this.poster.postNewCard(place, persona, card);
  }

  followCard({ team, channel, threadTs }: CardPlace, cardTs: string, status?: string): void {
    if (this.isClosed) return;
    this.track(team, channel, cardTs, threadTs);
    if (status) this.pulse.offerStatus(channel, threadTs, status);
  }

  /** A card this process runs the session of: its lane spaces its next update from now, and its pulse starts. */
  private track(team: TeamRef, channel: string, ts: string, threadTs: string): void {
    this.lane(team).markPosted(channel, ts);
    this.pulse.track(team, channel, ts, threadTs);
  }

  async updateCard(team: TeamRef, channel: string, ts: string, card: CardState, isFinal: boolean): Promise<void> {
    if (this.isClosed) {
      this.options.log.warn({ event: 'slack.writer.card.after_close', teamId: team.teamId, channel, ts, isFinal });
      return;
    }
    this.lane(team).enqueue({ channel, ts, card, isFinal, attempts: 0 });
    if (!isFinal) return this.pulse.setStatus(channel, ts, card.status);
    void this.pulse.end(channel, ts).catch((error: unknown) => {
      this.options.log.warn({ event: 'slack.writer.pulse.end_failed', teamId: team.teamId, err: error });
    });
  }

  expectFinal(team: TeamRef, channel: string, ts: string): void {
    if (!this.isClosed) this.lane(team).expectFinal(channel, ts, FINAL_HOLD_MS);
  }

  finalCardSent(team: TeamRef, channel: string, ts: string): Promise<void> {
    return this.lanes.get(team.teamId)?.whenFinalSent(channel, ts) ?? Promise.resolve();
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

  postOutside(
    team: TeamRef,
    channel: string,
    threadTs: string | undefined,
    persona: Persona,
    messages: CardContent[],
  ): Promise<string | undefined> {
    return this.poster.postOutside(team, channel, threadTs, persona, messages);
  }

  updatePost(thread: SessionThread, postKey: string, message: CardContent): Promise<void> {
    return this.poster.updatePost(thread, postKey, message);
  }

  async react(team: TeamRef, channel: string, ts: string, name: string, isOn: boolean): Promise<void> {
    if (isOn) {
      await this.calls.run(team, { method: 'reactions.add' }, (client) =>
        this.reactionOn(client, team, channel, ts, name),
      );
    } else {
      await this.calls.run(team, { method: 'reactions.remove' }, (client) =>
        this.reactionOff(client, team, channel, ts, name),
      );
    }
  }

  /** The bot's reaction is put on and noted, so settling takes off only what Baton put on. */
  private async reactionOn(client: WebClient, team: TeamRef, channel: string, ts: string, name: string) {
    await addReaction(client, channel, ts, name);
    await this.noteReaction(team, this.sentReactions.added(team.teamId, channel, ts, name));
  }

  private async reactionOff(client: WebClient, team: TeamRef, channel: string, ts: string, name: string) {
    await removeReaction(client, channel, ts, name);
    await this.noteReaction(team, this.sentReactions.removed(team.teamId, channel, ts, name));
  }

  /** The reaction is on Slack either way: a note Redis could not keep is logged, not thrown. */
  private async noteReaction(team: TeamRef, noting: Promise<void>): Promise<void> {
    try {
      await noting;
    } catch (error) {
      this.options.log.warn({ event: 'slack.writer.reaction_note_failed', teamId: team.teamId, err: error });
    }
  }

  async settleReactions(team: TeamRef, channel: string, ts: string, reactions: SettledReactions): Promise<void> {
    const takeOff = async (name: string) => {
      // In a busy workspace many 👀 never went on (the card came first): no call is spent taking those off.
      if ((await this.sentReactions.isNoted(team.teamId, channel, ts, name)) === false) return;
      await this.calls.run(team, { method: 'reactions.remove', spare: SETTLE }, (client) =>
        this.reactionOff(client, team, channel, ts, name),
      );
    };
    await Promise.all([
      ...reactions.off.map(takeOff),
      this.calls.run(team, { method: 'reactions.add', spare: SETTLE }, (client) =>
        this.reactionOn(client, team, channel, ts, reactions.on),
      ),
    ]);
  }

  async acknowledge(
    team: TeamRef,
    channel: string,
    ts: string,
    isStillWanted?: () => Promise<boolean>,
  ): Promise<boolean> {
    const add = (client: WebClient) => this.reactionOn(client, team, channel, ts, 'eyes');
    if (await this.calls.tryRun(team, { method: 'reactions.add', reserve: 0 }, add)) return true;
    if (!isStillWanted) return false;
    // Whichever comes first, the reaction budget or the card's post budget, tells the person they were heard.
    const eyes = { channel, ts, isWanted: isStillWanted, until: Date.now() + LATE_EYES_MS };
    const waiting = this.lateEyes.get(team.teamId);
    if (waiting) waiting.push(eyes);
    else {
      const line = [eyes];
      this.lateEyes.set(team.teamId, line);
      void this.addLateEyes(team, line).catch((error: unknown) => {
        this.options.log.warn({ event: 'slack.writer.acknowledge_failed', teamId: team.teamId, err: error });
        if (this.lateEyes.get(team.teamId) === line) this.lateEyes.delete(team.teamId);
      });
    }
    return false;
  }

  /**
   * Late 👀 go newest first as the reaction budget allows: cards go out oldest first, so the two budgets reach
   * different people and everyone in a busy channel sees a sign sooner (in order, both went to the same people).
   */
  private async addLateEyes(team: TeamRef, waiting: LateEyes[]): Promise<void> {
    const newestWanted = async (): Promise<LateEyes | undefined> => {
      for (let eyes = waiting.at(-1); eyes; eyes = waiting.at(-1)) {
        if (!this.isClosed && Date.now() < eyes.until && (await eyes.isWanted())) return eyes;
        waiting.splice(waiting.indexOf(eyes), 1);
      }
      // Nothing joined since the line was seen empty: the workspace's next late 👀 starts a line of its own.
      if (this.lateEyes.get(team.teamId) === waiting) this.lateEyes.delete(team.teamId);
      return undefined;
    };
    const isWanted = async () => (await newestWanted()) !== undefined;
    while (await isWanted()) {
      const sent = this.calls.runWhile(
        team,
        { method: 'reactions.add' },
        isWanted,
        (client) => {
          const eyes = waiting.pop()!;
          return this.reactionOn(client, team, eyes.channel, eyes.ts, 'eyes');
        },
        LATE_EYES_MS,
      );
      // One 👀 that failed is logged; the others still go.
      await sent.catch((error: unknown) => {
        this.options.log.warn({ event: 'slack.writer.acknowledge_failed', teamId: team.teamId, err: error });
      });
    }
  }

  async postEphemeral(team: TeamRef, channel: string, user: string, threadTs: string, text: string): Promise<void> {
    // Someone who left the channel meanwhile cannot be told there; nothing else is lost.
    await this.calls.run(team, { method: 'chat.postEphemeral' }, (client) =>
      ignoreSlackErrors(['user_not_in_channel', 'channel_not_found'], () =>
        client.chat.postEphemeral({ channel, user, thread_ts: threadTs, text }),
      ),
    );
  }

  /**
   * Slack's agent surface first (processing while working, closed when cleared), else the assistant thread status.
   * The card is always the fallback, so a refusal (older plans, missing scope, no agent surface) is only logged, and a
   * workspace without the surface is not asked for it again for a while. A status goes only if its budget allows it
   * now (a later status or the card says the same); clearing waits for it, unless the app has replied in the thread
   * since its last status (Slack cleared it then).
   */
  async setThreadStatus(
    team: TeamRef,
    channel: string,
    threadTs: string,
    status: string,
    session?: { title: string; initiatorId: string },
  ): Promise<void> {
    const reserve = session ? FIRST_STATUS_RESERVE : 0;
    const send = (method: string, call: (client: WebClient) => Promise<unknown>) =>
      status ? this.calls.tryRun(team, { method, reserve }, call) : this.calls.run(team, { method }, call);
    try {
      if (!this.surfaces.isMissing(team.teamId)) {
        const sent = await send('agents.sessions.setStatus', (client) =>
          client.agents.sessions.setStatus({
            channel_id: channel,
            thread_ts: threadTs,
            status: status ? 'processing' : 'closed',
            ...(session ? { title: session.title.slice(0, 200), initiator_user_id: session.initiatorId } : {}),
          }),
        ).catch((error: unknown) => {
          this.surfaces.refused(team.teamId, error);
          this.options.log.debug({ event: 'slack.agent_session_status.unavailable', err: error });
          return false;
        });
        if (sent) return;
      }
      if (!status && !this.statusLines.takeMayShow(channel, threadTs)) return;
      const isSent = await send('assistant.threads.setStatus', (client) => {
        const call = () => client.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status });
        return status ? this.statusLines.set(channel, threadTs, call) : call();
      });
      if (status && !isSent) this.pulse.offerStatus(channel, threadTs, status);
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
    const flushed = this.flush().then(() => false);
    const isTimedOut = await within(flushed, timeoutMs, true);
    if (isTimedOut) this.options.log.warn({ event: 'slack.writer.close.timed_out', timeoutMs });
    for (const lane of this.lanes.values()) lane.stop();
    this.pulse.stop();
  }

  /** Workspaces whose card lane this writer keeps (busy ones are never dropped). */
  get lanesKept(): number {
    return this.lanes.size;
  }

  private lane(team: TeamRef): CardLane {
    const kept = this.lanes.get(team.teamId);
    if (kept) {
      this.lanes.delete(team.teamId);
      this.lanes.set(team.teamId, kept);
      return kept;
    }
    const lane = new CardLane({
      team,
      slack: this.options.slack,
      budgets: this.budgets,
      holder: this.holder,
      log: this.options.log,
      onClient: (client) => this.watch(client, team),
      onSent: (update) => this.pulse.shown(update.channel, update.ts),
    });
    this.lanes.set(team.teamId, lane);
    this.dropIdleLanes(team.teamId);
    return lane;
  }

  // An idle lane holds only the per-card floor and a pause Redis also knows: dropping it loses no update.
  private dropIdleLanes(current: string): void {
    const max = this.options.maxLanes ?? LANES_KEPT;
    for (const [teamId, lane] of this.lanes) {
      if (this.lanes.size <= max) return;
      if (teamId !== current && lane.isIdle) this.lanes.delete(teamId);
    }
  }

  // A client without `rejectRateLimitedCalls` waits out a 429 itself; this still pauses the method for everyone.
  private watch(client: WebClient, { teamId }: TeamRef): void {
    if (this.watchedClients.has(client)) return;
    this.watchedClients.add(client);
    client.on(WebClientEvent.RATE_LIMITED, (retryAfterSec: number, request: { url?: string; body?: unknown }) => {
      const method = request.url?.split('/').pop();
      if (!method) return;
      const ms = retryAfterSec * 1000;
      const lane = this.lanes.get(teamId);
      const body = (request.body ?? {}) as { channel?: unknown };
      const channel = typeof body.channel === 'string' ? body.channel : undefined;
      const paused =
        method === UPDATE_METHOD && lane ? lane.pause(ms) : this.budgets.pause(teamId, method, ms, channel);
      paused.catch((error: unknown) =>
        this.options.log.warn({ event: 'slack.writer.budget.unavailable', teamId, err: error }),
      );
    });
  }
}
