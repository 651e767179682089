import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { createAnswerMentionJob } from '../../jobs/definitions';
import { newTraceId } from '../../src/trace';
import type { HandlerDeps } from '../deps';

type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

const MENTION = /<@[A-Z0-9]+(\|[^>]*)?>/g;

/** The words of a mention without the `<@U…>` tokens. */
export const mentionText = (text: string): string => text.replace(MENTION, ' ').replace(/\s+/g, ' ').trim();

export const onAppMention =
  ({ queue }: Pick<HandlerDeps, 'queue'>) =>
  async ({ event, body, context }: MentionArgs): Promise<void> => {
    if (!event.user) return;
    const intent = /\bping\b/i.test(mentionText(event.text)) ? 'ping' : 'unknown';
    await queue.enqueue(
      createAnswerMentionJob(body.event_id, {
        traceId: newTraceId(),
        teamId: context.teamId ?? body.team_id,
        enterpriseId: context.enterpriseId,
        intent,
        channel: event.channel,
        userId: event.user,
        messageTs: event.ts,
        threadTs: event.thread_ts ?? event.ts,
      }),
    );
  };
