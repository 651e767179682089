import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { HandlerDeps } from '../deps';
import { handToBot, mentionText } from './app-mention';

type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/** A DM to the app works like a mention: the DM (or its thread) is the task. */
export const onDirectMessage =
  (deps: HandlerDeps) =>
  async ({ event, body, context }: MessageArgs): Promise<void> => {
    if (event.channel_type !== 'im' || event.subtype !== undefined || !('user' in event) || !event.user) return;
    if ('bot_id' in event && event.bot_id) return;
    await handToBot(deps, {
      teamId: context.teamId ?? body.team_id,
      enterpriseId: context.enterpriseId,
      eventId: body.event_id,
      channel: event.channel,
      userId: event.user,
      messageTs: event.ts,
      threadTs: ('thread_ts' in event && event.thread_ts) || event.ts,
      words: mentionText(event.text ?? ''),
      trigger: 'dm',
    });
  };
