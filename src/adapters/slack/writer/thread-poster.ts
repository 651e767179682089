import { defusePings } from '../../../domain/pings';
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Logger } from '../../../log';
import type { TeamRef } from '../../../ports/slack-clients';
import type { CardContent, Persona } from '../../../ports/session-chat';
import type { BudgetedCalls, CallSpec, Recover, SpareWait } from './budgeted-calls';
import { splitText } from './split-text';
import type { ThreadStatusLines } from './thread-status';
import { ThreadWriteError } from './thread-write-error';

/** Which thread posts a session made (SessionRepository implements it). */
export interface ThreadPostLog {
  /** False when a previous run already made (or started) the post. */
  claimPost(sessionId: string, postKey: string): Promise<boolean>;
  recordPost(sessionId: string, postKey: string, ts: string): Promise<void>;
  /** Records each post's ts, claiming any key not claimed yet, in one write. */
  recordPosts(sessionId: string, posts: ReadonlyArray<{ postKey: string; ts: string }>): Promise<void>;
  /** The ts recorded for a key, if any. */
  postTs(sessionId: string, postKey: string): Promise<string | undefined>;
  /** Keys whose post has a recorded ts. */
  postedKeys(sessionId: string): Promise<Set<string>>;
}

export interface ThreadPosterDeps {
  calls: BudgetedCalls;
  posts: ThreadPostLog;
  /** Replies in a thread clear its status line (Slack does so). */
  statusLines: ThreadStatusLines;
  log: Logger;
  splitAboveChars: number;
  fileAboveChars: number;
}

interface Where {
  team: TeamRef;
  sessionId: string;
  channel: string;
  /** '' only for a post outside any thread (`postOutside`). */
  threadTs: string;
}

const CARD_KEY = 'card';
// ThreadPostLog cannot read a ts back, so the card's ts also lives in a key of its own: `card@<ts>`.
const CARD_TS_KEY = `${CARD_KEY}@`;
/** The metadata event type of Baton's keyed thread posts. */
const POST_EVENT = 'baton_thread_post';
const PREVIEW_CHARS = 1_000;
const FILE_NAME = 'answer.md';

/** Posts the session card and the replies in its thread, each at most once per key. */
export class ThreadPoster {
  constructor(private readonly deps: ThreadPosterDeps) {}

  /** `spare`: see SpareWait (a card whose person already knows they were heard). */
  async postCard(where: Where, persona: Persona, card: CardContent, spare?: SpareWait): Promise<string> {
    const { posts, log } = this.deps;
    if (!(await posts.claimPost(where.sessionId, CARD_KEY))) {
      const ts = await this.recordedCardTs(where.sessionId);
      if (ts) return ts;
      // Claimed by a run that stopped before recording a ts: Slack may have the card all the same.
      const found = await this.findPosted(where, CARD_KEY);
      if (found) return this.recordCard(where.sessionId, found);
      log.warn({ event: 'slack.writer.card.reposting', sessionId: where.sessionId });
    }
    const message = { ...personaArgs(persona), text: card.text, blocks: card.blocks };
    return this.recordCard(where.sessionId, await this.postMessage(where, message, CARD_KEY, spare));
  }

  /**
   * The card of a session nothing has posted for yet, only if the channel's post budget allows it now: undefined when
   * it does not (nothing is claimed, and `postCard` posts it later).
   */
  async postNewCard(where: Where, persona: Persona, card: CardContent): Promise<string | undefined> {
    const { calls, posts } = this.deps;
    const post = this.poster(where, { ...personaArgs(persona), text: card.text, blocks: card.blocks }, CARD_KEY);
    // Claimed once the budget allows the post, so a card that must wait leaves no claim behind.
    let isClaimed = false;
    const claimAndPost = async (client: WebClient) => {
      isClaimed ||= await posts.claimPost(where.sessionId, CARD_KEY);
      return isClaimed ? post(client) : undefined;
    };
    const spec = { method: 'chat.postMessage', channel: where.channel, reserve: 0 };
    let ts: string | undefined;
    try {
      ts = await calls.runNow(where.team, spec, claimAndPost, () => this.findPosted(where, CARD_KEY));
    } catch (error) {
      throw new ThreadWriteError('chat.postMessage', error);
    }
    return ts === undefined ? undefined : this.recordCard(where.sessionId, ts);
  }

  private async recordCard(sessionId: string, ts: string): Promise<string> {
    await this.deps.posts.recordPosts(sessionId, [
      { postKey: `${CARD_TS_KEY}${ts}`, ts },
      { postKey: CARD_KEY, ts },
    ]);
    return ts;
  }

  async post(where: Where, postKey: string, persona: Persona, written: string): Promise<void> {
    // Thread posts carry agent text: it may mention people, never a whole channel or a user group.
    const text = defusePings(written);
    const { log, fileAboveChars, splitAboveChars } = this.deps;
    const fields = { sessionId: where.sessionId, postKey, chars: text.length };
    if (text.length > fileAboveChars) {
      const ts = await this.once(where, postKey, () => this.upload(where, text));
      return log.info({ event: ts ? 'slack.writer.post.uploaded' : 'slack.writer.post.skipped', ...fields });
    }
    const parts = splitText(text, splitAboveChars);
    const reply = (part: string, key: string) => () =>
      this.postMessage(where, { ...personaArgs(persona), text: part }, key);
    if (parts.length === 1) {
      const ts = await this.once(where, postKey, reply(text, postKey));
      if (!ts) log.info({ event: 'slack.writer.post.skipped', ...fields });
      return;
    }
    // Each part is claimed on its own, so a run that resumes after a crash posts only the parts still missing.
    await this.deps.posts.claimPost(where.sessionId, postKey);
    let firstTs: string | undefined;
    for (const [i, part] of parts.entries()) {
      const key = `${postKey}#${i}`;
      const ts = await this.once(where, key, reply(part, key));
      firstTs ??= ts;
    }
    if (firstTs) await this.deps.posts.recordPost(where.sessionId, postKey, firstTs);
    log.info({ event: 'slack.writer.post.split', ...fields, parts: parts.length });
  }

  /** Messages with blocks, each claimed on its own under `postKey#i`, so a resumed run posts only the missing. */
  async postMessages(where: Where, postKey: string, persona: Persona, messages: CardContent[]): Promise<void> {
    for (const [i, message] of messages.entries()) {
      const args = { ...personaArgs(persona), text: message.text, blocks: message.blocks };
      const key = `${postKey}#${i}`;
      await this.once(where, key, () => this.postMessage(where, args, key));
    }
  }

  /** Messages outside a session's thread: each posted once, not keyed (no run resumes them); the first one's ts. */
  async postOutside(
    team: TeamRef,
    channel: string,
    threadTs: string | undefined,
    persona: Persona,
    messages: CardContent[],
  ): Promise<string | undefined> {
    // No session owns these posts; the id only labels rate-limit log lines.
    const where = { team, sessionId: '', channel, threadTs: threadTs ?? '' };
    let first: string | undefined;
    for (const message of messages) {
      const ts = await this.postMessage(where, { ...personaArgs(persona), text: message.text, blocks: message.blocks });
      first ??= ts;
    }
    return first;
  }

  /** Replaces the first message posted under `postKey`; nothing when it was never posted. */
  async updatePost(where: Where, postKey: string, message: CardContent): Promise<void> {
    const ts = await this.deps.posts.postTs(where.sessionId, `${postKey}#0`);
    if (!ts) return;
    await this.send(where, { method: 'chat.update' }, (client) =>
      client.chat.update({ channel: where.channel, ts, text: message.text, blocks: message.blocks }),
    );
  }

  /**
   * Claims the key, then posts and records the ts; undefined when the key already has a ts. A key claimed by a run
   * that stopped before recording a ts is looked for in the thread first (Slack may have posted it before the run
   * died), and posted again only when it is not there.
   */
  private async once(where: Where, key: string, send: () => Promise<string>): Promise<string | undefined> {
    const { posts, log } = this.deps;
    const { sessionId } = where;
    if (!(await posts.claimPost(sessionId, key))) {
      if (await posts.postTs(sessionId, key)) return undefined;
      const found = await this.findPosted(where, key);
      if (found) {
        await posts.recordPost(sessionId, key, found);
        return undefined;
      }
      log.warn({ event: 'slack.writer.post.reposting', sessionId, postKey: key });
    }
    const ts = await send();
    await posts.recordPost(sessionId, key, ts);
    return ts;
  }

  /**
   * The ts of this session's post under `key` if the thread has it (each keyed post carries the key in its message
   * metadata). Undefined when Slack cannot tell: a post that is maybe doubled beats one never posted.
   */
  private async findPosted(where: Where, key: string): Promise<string | undefined> {
    const { channel, threadTs, sessionId } = where;
    const isIt = (m: { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }) =>
      m.metadata?.event_type === POST_EVENT &&
      m.metadata.event_payload?.['session_id'] === sessionId &&
      m.metadata.event_payload['post_key'] === key;
    try {
      let cursor: string | undefined;
      do {
        const page = await this.send(where, { method: 'conversations.replies', channel }, (client) =>
          client.conversations.replies({
            channel,
            ts: threadTs,
            include_all_metadata: true,
            limit: 200,
            ...(cursor ? { cursor } : {}),
          }),
        );
        const found = page.messages?.find(isIt);
        if (found?.ts) return found.ts;
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
    } catch (error) {
      this.deps.log.warn({ event: 'slack.writer.post.lookup_failed', sessionId, postKey: key, err: error });
    }
    return undefined;
  }

  private async recordedCardTs(sessionId: string): Promise<string | undefined> {
    const keys = [...(await this.deps.posts.postedKeys(sessionId))];
    return keys
      .filter((key) => key.startsWith(CARD_TS_KEY))
      .map((key) => key.slice(CARD_TS_KEY.length))
      .sort()
      .at(-1);
  }

  /** `key`: the post's key, kept in the message's metadata so a resumed run can find the post in the thread. */
  private async postMessage(where: Where, message: MessageArgs, key?: string, spare?: SpareWait): Promise<string> {
    const spec = { method: 'chat.postMessage', channel: where.channel, spare };
    // A keyed post whose answer was lost may be in the thread already; only one never seen is sent again.
    return this.send(
      where,
      spec,
      this.poster(where, message, key),
      key ? () => this.findPosted(where, key) : undefined,
    );
  }

  /** The call that posts `message` where it goes and returns its ts (its caller names a failure). */
  private poster(where: Where, message: MessageArgs, key?: string): (client: WebClient) => Promise<string> {
    const thread = where.threadTs ? { thread_ts: where.threadTs } : {};
    const metadata = key
      ? { metadata: { event_type: POST_EVENT, event_payload: { session_id: where.sessionId, post_key: key } } }
      : {};
    const args: ChatPostMessageArguments = { ...message, channel: where.channel, ...thread, ...metadata };
    const post = async (client: WebClient) => {
      const { ts } = await client.chat.postMessage(args);
      if (!ts) throw new Error('no ts in the answer');
      return ts;
    };
    return where.threadTs
      ? (client) => this.deps.statusLines.reply(where.channel, where.threadTs, () => post(client))
      : post;
  }

  /** Uploads the text as a file under a short preview; returns the message ts, or the file id if Slack gave none. */
  private async upload(where: Where, text: string): Promise<string> {
    const preview = splitText(text, PREVIEW_CHARS)[0] ?? '';
    // An upload is two calls of different methods; the first one's budget stands for both.
    const result = await this.send(
      where,
      { method: 'files.getUploadURLExternal' },
      (client) =>
        client.filesUploadV2({
          channel_id: where.channel,
          thread_ts: where.threadTs,
          initial_comment: `${preview}\n\n_The full answer (${text.length} characters) is in the attached file._`,
          filename: FILE_NAME,
          title: FILE_NAME,
          content: text,
        }),
      undefined,
      'files.uploadV2',
    );
    const file = result.files[0]?.files?.[0];
    const ts = file?.shares?.public?.[where.channel]?.[0]?.ts;
    if (!file?.id) throw new ThreadWriteError('files.uploadV2', new Error('no file in the answer'));
    return ts ?? file.id;
  }

  /** One call within its method's budget (`recover`: see Recover); `name` is what a failure says was called. */
  private async send<T>(
    where: Where,
    spec: CallSpec,
    call: (client: WebClient) => Promise<T>,
    recover?: Recover<T>,
    name = spec.method,
  ): Promise<T> {
    try {
      return await this.deps.calls.run(where.team, spec, call, recover);
    } catch (error) {
      throw new ThreadWriteError(name, error);
    }
  }
}

type MessageArgs = { text: string; blocks?: CardContent['blocks'] } & PersonaArgs;
type PersonaArgs =
  | { username: string; icon_emoji?: string; icon_url?: never }
  | { username: string; icon_url?: string; icon_emoji?: never };

/** Slack shows `icon_emoji` over `icon_url`; sending one keeps that choice ours. */
function personaArgs(persona: Persona): PersonaArgs {
  if (persona.iconEmoji) return { username: persona.username, icon_emoji: persona.iconEmoji };
  if (persona.iconUrl) return { username: persona.username, icon_url: persona.iconUrl };
  return { username: persona.username };
}
