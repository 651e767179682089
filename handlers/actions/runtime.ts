import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import { createDeliverWebhookJob } from '../../jobs/definitions';
import { connectionView } from '../../src/bots/catalog';
import { actorOf, mayConfigure } from '../context';
import type { HandlerDeps } from '../deps';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Rotate: a new signing secret, shown once in the modal; the old one keeps signing for the overlap. */
export const onRotateSecret =
  (deps: HandlerDeps, overlapMs: number) =>
  async ({ ack, body, action, client, context }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!body.view || !(await mayConfigure(deps, client, actor, body.trigger_id))) return;
    const bot = await deps.stores.bots.get(actor.teamId, action.value ?? '');
    if (!bot) return;
    const newSecret = await deps.stores.selfHosted.rotate(bot.id, overlapMs);
    if (!newSecret) return;
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'bot.secret_rotated',
      target: bot.name,
    });
    const view = await connectionView(deps.stores, actor, bot.id, { newSecret, apiUrl: deps.apiUrl });
    if (view) await client.views.update({ view_id: body.view.id, view });
  };

/** Send test event: "Sending…" at once, then the job shows the runtime's answer in the same modal. */
export const onSendTestEvent =
  (deps: HandlerDeps) =>
  async ({ ack, body, action, client, context }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!body.view || !(await mayConfigure(deps, client, actor, body.trigger_id))) return;
    const bot = await deps.stores.bots.get(actor.teamId, action.value ?? '');
    if (!bot) return;
    const view = await connectionView(deps.stores, actor, bot.id, {
      test: { state: 'sending' },
      apiUrl: deps.apiUrl,
    });
    if (view) await client.views.update({ view_id: body.view.id, view });
    const webhookId = `msg_test_${randomUUID()}`;
    await deps.queue.enqueue(
      createDeliverWebhookJob(
        {
          traceId: webhookId,
          teamId: actor.teamId,
          botId: bot.id,
          sessionId: null,
          event: 'baton.test',
          webhookId,
          data: { bot: { id: bot.id, name: bot.name }, requestedBy: { slackUserId: actor.userId } },
          viewId: body.view.id,
        },
        { attempts: 1, backoffMs: 1 },
      ),
    );
  };
