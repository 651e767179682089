import { defusePings } from '../../../domain/pings';
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../log';
import type { SlackClients, TeamRef } from '../../../ports/slack-clients';
import type { CardContent, Persona } from '../../../ports/session-chat';
import { rateLimitDelayMs } from './slack-failures';
import { splitText } from './split-text';
import { ThreadWriteError } from './thread-write-error';

/** Which thread posts a session made (SessionRepository implements it). */
export interface ThreadPostLog {
  /** False when a previous run already made (or started) the post. */
  claimPost(sessionId: string, postKey: string): Promise<boolean>;
  recordPost(sessionId: string, postKey: string, ts: string): Promise<void>;
  /** The ts recorded for a key, if any. */
  postTs(sessionId: string, postKey: string): Promise<string | undefined>;
  /** Keys whose post has a recorded ts. */
  postedKeys(sessionId: string): Promise<Set<string>>;
}

export interface ThreadPosterDeps {
  slack: SlackClients;
  posts: ThreadPostLog;
  log: Logger;
  onClient(client: WebClient, team: TeamRef): void;
  splitAboveChars: number;
  fileAboveChars: number;
}

interface Where {
  team: TeamRef;
  sessionId: string;
  channel: string;
  threadTs: string;
}

const CARD_KEY = 'card';
// ThreadPostLog cannot read a ts back, so the card's ts also lives in a key of its own: `card@<ts>`.
const CARD_TS_KEY = `${CARD_KEY}@`;
const POST_ATTEMPTS = 3;
const PREVIEW_CHARS = 1_000;
const FILE_NAME = 'answer.md';

/** Posts the session card and the replies in its thread, each at most once per key. */
export class ThreadPoster {
  constructor(private readonly deps: ThreadPosterDeps) {}

  async postCard(where: Where, persona: Persona, card: CardContent): Promise<string> {
    const { posts, log } = this.deps;
    if (!(await posts.claimPost(where.sessionId, CARD_KEY))) {
      const ts = await this.recordedCardTs(where.sessionId);
      if (ts) return ts;
      // Claimed by a run that stopped before recording a ts: the card may never have been posted.
      log.warn({ event: 'slack.writer.card.reposting', sessionId: where.sessionId });
    }
    const ts = await this.postMessage(where, { ...personaArgs(persona), text: card.text, blocks: card.blocks });
    const tsKey = `${CARD_TS_KEY}${ts}`;
    await posts.claimPost(where.sessionId, tsKey);
    await posts.recordPost(where.sessionId, tsKey, ts);
    await posts.recordPost(where.sessionId, CARD_KEY, ts);
    return ts;
  }

  async post(where: Where, postKey: string, persona: Persona, written: string): Promise<void> {
    // Thread posts carry agent text: it may mention people, never a whole channel or a user group.
    const text = defusePings(written);
    const { log, fileAboveChars, splitAboveChars } = this.deps;
    const fields = { sessionId: where.sessionId, postKey, chars: text.length };
    if (text.length > fileAboveChars) {
      const ts = await this.once(where.sessionId, postKey, () => this.upload(where, text));
      return log.info({ event: ts ? 'slack.writer.post.uploaded' : 'slack.writer.post.skipped', ...fields });
    }
    const parts = splitText(text, splitAboveChars);
    const reply = (part: string) => () => this.postMessage(where, { ...personaArgs(persona), text: part });
    if (parts.length === 1) {
      const ts = await this.once(where.sessionId, postKey, reply(text));
      if (!ts) log.info({ event: 'slack.writer.post.skipped', ...fields });
      return;
    }
    // Each part is claimed on its own, so a run that resumes after a crash posts only the parts still missing.
    await this.deps.posts.claimPost(where.sessionId, postKey);
    let firstTs: string | undefined;
    for (const [i, part] of parts.entries()) {
      const ts = await this.once(where.sessionId, `${postKey}#${i}`, reply(part));
      firstTs ??= ts;
    }
    if (firstTs) await this.deps.posts.recordPost(where.sessionId, postKey, firstTs);
    log.info({ event: 'slack.writer.post.split', ...fields, parts: parts.length });
  }

  /** Messages with blocks, each claimed on its own under `postKey#i`, so a resumed run posts only the missing. */
  async postMessages(where: Where, postKey: string, persona: Persona, messages: CardContent[]): Promise<void> {
    for (const [i, message] of messages.entries()) {
      const args = { ...personaArgs(persona), text: message.text, blocks: message.blocks };
      await this.once(where.sessionId, `${postKey}#${i}`, () => this.postMessage(where, args));
    }
  }

  /** Replaces the first message posted under `postKey`; nothing when it was never posted. */
  async updatePost(where: Where, postKey: string, message: CardContent): Promise<void> {
    const ts = await this.deps.posts.postTs(where.sessionId, `${postKey}#0`);
    if (!ts) return;
    const client = await this.client(where.team);
    await this.withRateLimitRetry('chat.update', where, () =>
      client.chat.update({ channel: where.channel, ts, text: message.text, blocks: message.blocks }),
    );
  }

  /**
   * Claims the key, then posts and records the ts; undefined when the key already has a ts. A key claimed by a run
   * that stopped before recording a ts is posted again: a message possibly twice beats one never posted.
   */
  private async once(sessionId: string, key: string, send: () => Promise<string>): Promise<string | undefined> {
    if (!(await this.deps.posts.claimPost(sessionId, key))) {
      if (await this.deps.posts.postTs(sessionId, key)) return undefined;
      this.deps.log.warn({ event: 'slack.writer.post.reposting', sessionId, postKey: key });
    }
    const ts = await send();
    await this.deps.posts.recordPost(sessionId, key, ts);
    return ts;
  }

  private async recordedCardTs(sessionId: string): Promise<string | undefined> {
    const keys = [...(await this.deps.posts.postedKeys(sessionId))];
    return keys
      .filter((key) => key.startsWith(CARD_TS_KEY))
      .map((key) => key.slice(CARD_TS_KEY.length))
      .sort()
      .at(-1);
  }

  private async postMessage(where: Where, message: MessageArgs): Promise<string> {
    const client = await this.client(where.team);
    const args: ChatPostMessageArguments = { ...message, channel: where.channel, thread_ts: where.threadTs };
    const result = await this.withRateLimitRetry('chat.postMessage', where, () => client.chat.postMessage(args));
    if (!result.ts) throw new ThreadWriteError('chat.postMessage', new Error('no ts in the answer'));
    return result.ts;
  }

  /** Uploads the text as a file under a short preview; returns the message ts, or the file id if Slack gave none. */
  private async upload(where: Where, text: string): Promise<string> {
    const client = await this.client(where.team);
    const preview = splitText(text, PREVIEW_CHARS)[0] ?? '';
    const result = await this.withRateLimitRetry('files.uploadV2', where, () =>
      client.filesUploadV2({
        channel_id: where.channel,
        thread_ts: where.threadTs,
        initial_comment: `${preview}\n\n_The full answer (${text.length} characters) is in the attached file._`,
        filename: FILE_NAME,
        title: FILE_NAME,
        content: text,
      }),
    );
    const file = result.files[0]?.files?.[0];
    const ts = file?.shares?.public?.[where.channel]?.[0]?.ts;
    if (!file?.id) throw new ThreadWriteError('files.uploadV2', new Error('no file in the answer'));
    return ts ?? file.id;
  }

  private async client(team: TeamRef): Promise<WebClient> {
    const client = await this.deps.slack.forTeam(team);
    this.deps.onClient(client, team);
    return client;
  }

  private async withRateLimitRetry<T>(method: string, where: Where, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const retryAfterMs = rateLimitDelayMs(error);
        if (retryAfterMs === undefined || attempt >= POST_ATTEMPTS) throw new ThreadWriteError(method, error);
        this.deps.log.warn({
          event: 'slack.writer.post.rate_limited',
          method,
          sessionId: where.sessionId,
          retryAfterMs,
        });
        await sleep(retryAfterMs);
      }
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
