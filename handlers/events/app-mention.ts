import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { createHandToBotJob, type HandToBot } from '../../jobs/definitions';
import { within } from '../../src/ops/within';
import { isSurelyWork } from '../../src/sessions/decide';
import { newTraceId } from '../../src/trace';
import type { HandlerDeps } from '../deps';

type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

const MENTION = /<@[A-Z0-9]+(\|[^>]*)?>/g;

/** The words of a mention without the `<@U…>` tokens. */
export const mentionText = (text: string): string => text.replace(MENTION, ' ').replace(/\s+/g, ' ').trim();

interface SlackMessage {
  ts: string;
  thread_ts?: string | undefined;
  text?: string | undefined;
  files?: Array<{ name?: string | null; title?: string | null }> | undefined;
}

/** The message as written when it opens its thread, so the session's first message needs no read of the thread. */
export function openingOf(message: SlackMessage): HandToBot['opening'] {
  if (message.thread_ts && message.thread_ts !== message.ts) return undefined;
  const files = (message.files ?? []).slice(0, 100).map((f) => (f.name || f.title || 'file').slice(0, 255));
  return { text: (message.text ?? '').slice(0, 40_000), files };
}

/** How long a mention's job waits for its 👀 from here before it is enqueued anyway (the job then tries itself). */
const HEARD_WITHIN_MS = 1_000;

/**
 * A mention hands the thread to a bot; the hand-to-bot job decides which, and whether it is a follow-up. One that is
 * surely work (it opens its thread and is no ping) gets its 👀 here first, after Slack's ack, if the reaction budget
 * allows it now: the person's "I heard you" then waits for no job slot in a busy worker. The job learns whether it
 * went and decides everything else (it takes the 👀 back when the mention starts nothing).
 */
export const onAppMention =
  (deps: Pick<HandlerDeps, 'queue' | 'hear'>) =>
  async ({ event, body, context }: MentionArgs): Promise<void> => {
    if (!event.user) return;
    const trigger: Omit<HandToBot, 'v'> = {
      traceId: newTraceId(),
      teamId: context.teamId ?? body.team_id,
      enterpriseId: context.enterpriseId,
      source: 'mention',
      channel: event.channel,
      userId: event.user,
      messageTs: event.ts,
      threadTs: event.thread_ts ?? event.ts,
      words: mentionText(event.text),
      opening: openingOf(event),
    };
    if (isSurelyWork(trigger)) {
      const heard = await within(deps.hear(trigger, trigger.channel, trigger.messageTs), HEARD_WITHIN_MS, undefined);
      if (heard !== undefined) trigger.heard = heard;
    }
    await deps.queue.enqueue(createHandToBotJob(body.event_id, trigger));
  };
