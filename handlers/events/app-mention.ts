import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { createHandToBotJob } from '../../jobs/definitions';
import { newTraceId } from '../../src/trace';
import type { HandlerDeps } from '../deps';

type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

const MENTION = /<@[A-Z0-9]+(\|[^>]*)?>/g;

/** The words of a mention without the `<@U…>` tokens. */
export const mentionText = (text: string): string => text.replace(MENTION, ' ').replace(/\s+/g, ' ').trim();

/** A mention hands the thread to a bot; the hand-to-bot job decides which, and whether it is a follow-up. */
export const onAppMention =
  (deps: HandlerDeps) =>
  async ({ event, body, context }: MentionArgs): Promise<void> => {
    if (!event.user) return;
    await deps.queue.enqueue(
      createHandToBotJob(body.event_id, {
        traceId: newTraceId(),
        teamId: context.teamId ?? body.team_id,
        enterpriseId: context.enterpriseId,
        source: 'mention',
        channel: event.channel,
        userId: event.user,
        messageTs: event.ts,
        threadTs: event.thread_ts ?? event.ts,
        words: mentionText(event.text),
      }),
    );
  };
