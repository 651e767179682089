import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { createHandToBotJob } from '../../jobs/definitions';
import { newTraceId } from '../../src/trace';
import type { HandlerDeps } from '../deps';
import { mentionText, openingOf } from './app-mention';

type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/** Replies people write to each other in a busy thread, not meant for the bot. */
const ASIDE = /^\s*!aside\b/i;
/** Messages a person wrote: plain ones, replies also sent to the channel, and ones with files. */
const PERSON_SUBTYPES = [undefined, 'thread_broadcast', 'file_share'];

/**
 * A DM to the app works like a mention. In channels, a reply in a thread goes to the hand-to-bot job, which sends
 * it to the thread's active session if there is one (no @mention needed). Bot messages, edits, Baton's own posts,
 * `!aside` replies and replies that mention Baton (the app_mention event carries those) are left alone.
 */
export const onMessage =
  (deps: HandlerDeps) =>
  async ({ event, body, context }: MessageArgs): Promise<void> => {
    if (!PERSON_SUBTYPES.includes(event.subtype) || !('user' in event) || !event.user) return;
    if (('bot_id' in event && event.bot_id) || event.user === context.botUserId) return;
    const text = ('text' in event && event.text) || '';
    const threadTs = ('thread_ts' in event && event.thread_ts) || undefined;
    const isDm = event.channel_type === 'im';
    const files = ('files' in event && event.files) || undefined;
    if (!isDm) {
      const isReply = threadTs !== undefined && threadTs !== event.ts;
      if (!isReply || ASIDE.test(text)) return;
      if (context.botUserId && text.includes(`<@${context.botUserId}`)) return;
    }
    await deps.queue.enqueue(
      createHandToBotJob(body.event_id, {
        traceId: newTraceId(),
        teamId: context.teamId ?? body.team_id,
        enterpriseId: context.enterpriseId,
        source: isDm ? 'dm' : 'reply',
        channel: event.channel,
        userId: event.user,
        messageTs: event.ts,
        threadTs: threadTs ?? event.ts,
        words: mentionText(text),
        opening: isDm ? openingOf({ ts: event.ts, thread_ts: threadTs, text, files }) : undefined,
      }),
    );
  };
