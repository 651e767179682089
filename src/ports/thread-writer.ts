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
}

/**
 * Every Slack write of a session goes through here. Card updates are coalesced per card (latest state wins) and
 * share each workspace's `chat.update` budget fairly; final states go first; 429 `Retry-After` is honoured
 * without losing the final state. Thread posts are idempotent by (session, key) and split when long.
 */
export interface ThreadWriter {
  /** Posts the session card (once per session; a second call returns the first card's ts). */
  postCard(
    team: TeamRef,
    sessionId: string,
    channel: string,
    threadTs: string,
    persona: Persona,
    card: CardContent,
  ): Promise<string>;
  /** Schedules a card update; resolves when queued. `isFinal` updates jump the queue and are never dropped. */
  updateCard(team: TeamRef, channel: string, ts: string, card: CardContent, isFinal: boolean): Promise<void>;
  /**
   * A reply in the thread as the bot, posted at most once per `postKey`; long text is split or uploaded.
   * `actions` (buttons) go under a reply short enough to fit one message.
   */
  post(
    team: TeamRef,
    sessionId: string,
    postKey: string,
    channel: string,
    threadTs: string,
    persona: Persona,
    text: string,
    actions?: KnownBlock[],
  ): Promise<void>;
  /** Waits until every queued update has been sent (for tests and shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
