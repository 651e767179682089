import type { KnownBlock } from '@slack/types';
import type { TeamRef } from './slack-clients';

export interface Persona {
  username: string;
  iconEmoji?: string | undefined;
  iconUrl?: string | undefined;
}

export interface CardContent {
  text: string;
  blocks: KnownBlock[];
  /**
   * One line on what a live session is doing now. When the card's share of the update budget is scarce, the writer
   * shows it as the thread's status between card updates.
   */
  status?: string | undefined;
}

/**
 * A card state drawn only when the writer sends it: a state that a newer one replaces before its turn (most of a busy
 * session's states, when 20 cards share 50 updates a minute) is never drawn.
 */
export interface LazyCard {
  status?: string | undefined;
  draw(): CardContent;
}

export type CardState = CardContent | LazyCard;

/** A session's thread: where its card and posts go, and the session they are keyed to. */
export interface SessionThread {
  team: TeamRef;
  sessionId: string;
  channel: string;
  threadTs: string;
}

/** Where a session's card goes: its workspace and thread, and the session it belongs to. */
export interface CardPlace {
  team: TeamRef;
  sessionId: string;
  channel: string;
  threadTs: string;
}

/** Reactions taken off and the one put on a message, e.g. when a session ends. */
export interface SettledReactions {
  off: string[];
  on: string;
}

/**
 * Every Slack write of a session goes through here (the run loop, approvals, control and MCP tools hold no Slack
 * client). Card updates are coalesced per card (latest state wins), at most one per card per second, and share
 * each workspace's `chat.update` budget fairly; final states go first; 429 `Retry-After` is honoured without losing
 * the final state. Thread posts are idempotent by (session, key): a post is recorded with its `ts`, and a key
 * claimed by a run that died before recording a `ts` is posted again rather than skipped.
 */
export interface SessionChat {
  /**
   * Posts the session card (once per session; a second call returns the first card's ts). When the message at
   * `heardTs` has Baton's 👀, the card lets cards of people with no sign yet go first (a few seconds at most).
   */
  postCard(place: CardPlace, persona: Persona, card: CardContent, heardTs?: string): Promise<string>;
  /**
   * Posts the card of a session nothing has posted for yet, only if the channel's post budget allows it now; undefined
   * when it does not (`postCard` posts it later). The job that makes a session shows its card this way; the process
   * that runs the session then follows it (`followCard`).
   */
  postCardNow(place: CardPlace, persona: Persona, card: CardContent): Promise<string | undefined>;
  /**
   * This process runs the session of a card posted earlier (by the job that made the session, or a run before a
   * restart): its progress signals and update spacing follow the card here. `status`: the thread's status line, which
   * goes with the card's first progress signal when none is known yet.
   */
  followCard(place: CardPlace, cardTs: string, status?: string): void;
  /** Schedules a card update; resolves when queued. `isFinal` updates jump the queue and are never dropped. */
  updateCard(team: TeamRef, channel: string, ts: string, card: CardState, isFinal: boolean): Promise<void>;
  /**
   * The session's turn ended and its answer is being posted, so the card's final state follows: it takes its place
   * among final states now, and the workspace's live cards wait for it (a few seconds at most).
   */
  expectFinal(team: TeamRef, channel: string, ts: string): void;
  /**
   * Resolves once the card's final state has reached Slack (or was given up): a run that ended before it would take
   * the unsent state with it if its process died.
   */
  finalCardSent(team: TeamRef, channel: string, ts: string): Promise<void>;
  /** A reply in the thread as the bot, posted at most once per `postKey`; long text is split or uploaded. */
  post(
    team: TeamRef,
    sessionId: string,
    postKey: string,
    channel: string,
    threadTs: string,
    persona: Persona,
    text: string,
  ): Promise<void>;
  /** Messages with blocks (an answer, an approval prompt) in the thread, each posted once under `postKey#i`. */
  postMessages(thread: SessionThread, postKey: string, persona: Persona, messages: CardContent[]): Promise<void>;
  /**
   * Messages as the bot outside a session's own thread (Full mode's posts in other channels, a bot token's reply in
   * a thread it names), with the same rate-limit handling; not keyed, as no run resumes them. Answers the first ts.
   */
  postOutside(
    team: TeamRef,
    channel: string,
    threadTs: string | undefined,
    persona: Persona,
    messages: CardContent[],
  ): Promise<string | undefined>;
  /** Replaces a keyed post (the first message under `postKey`), e.g. an approval prompt with its verdict. */
  updatePost(thread: SessionThread, postKey: string, message: CardContent): Promise<void>;
  /** Adds (or takes off) the bot's reaction on a message; one that is already there (or gone) is fine. */
  react(team: TeamRef, channel: string, ts: string, name: string, isOn: boolean): Promise<void>;
  /**
   * The reactions that say how a session ended (👀 off, ✅ on), as `react` does; when the workspace's reaction budget
   * is short they go after live sessions' progress signals (within half a minute).
   */
  settleReactions(team: TeamRef, channel: string, ts: string, reactions: SettledReactions): Promise<void>;
  /**
   * "I heard you": 👀 on the message that asked, at once if the workspace's reaction budget allows it now. Else, with
   * `isStillWanted`, it is added in the background as soon as the budget allows while that says yes (the card has not
   * shown yet); without, not at all. True when it was added at once.
   */
  acknowledge(team: TeamRef, channel: string, ts: string, isStillWanted?: () => Promise<boolean>): Promise<boolean>;
  /** A note only `user` sees, in the thread (e.g. why their session did not start). */
  postEphemeral(team: TeamRef, channel: string, user: string, threadTs: string, text: string): Promise<void>;
  /**
   * Slack's own status of the thread where the workspace supports it ('' clears it): the agent surface's session
   * status (with `session`'s title and initiator when it first shows the session), else the "is working…" line.
   */
  setThreadStatus(
    team: TeamRef,
    channel: string,
    threadTs: string,
    status: string,
    session?: { title: string; initiatorId: string },
  ): Promise<void>;
  /** Waits until every queued update has been sent (for tests and shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
