import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { createPublishHomeJob } from '../../jobs/definitions';
import { newTraceId } from '../../src/trace';
import type { HandlerDeps } from '../deps';

type HomeArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

export const onAppHomeOpened =
  ({ queue }: Pick<HandlerDeps, 'queue'>) =>
  async ({ event, body, context }: HomeArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    await queue.enqueue(
      createPublishHomeJob(body.event_id, {
        traceId: newTraceId(),
        teamId: context.teamId ?? body.team_id,
        enterpriseId: context.enterpriseId,
        userId: event.user,
      }),
    );
  };
