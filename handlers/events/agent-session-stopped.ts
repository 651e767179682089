import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { createStopThreadJob } from '../../jobs/definitions';
import { newTraceId } from '../../src/trace';
import type { HandlerDeps } from '../deps';

type StoppedArgs = SlackEventMiddlewareArgs<'agent_session_stopped'> & AllMiddlewareArgs;

/** Someone pressed Stop in Slack's agent surface: the same as Stop on the card. */
export const onAgentSessionStopped =
  (deps: HandlerDeps) =>
  async ({ event, body, context }: StoppedArgs): Promise<void> => {
    if (!event.channel || !event.thread_ts || !event.user) return;
    await deps.queue.enqueue(
      createStopThreadJob(body.event_id, {
        traceId: newTraceId(),
        teamId: context.teamId ?? body.team_id,
        enterpriseId: context.enterpriseId,
        channel: event.channel,
        threadTs: event.thread_ts,
        userId: event.user,
      }),
    );
  };
