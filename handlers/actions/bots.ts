import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { createJob } from '../../jobs/definitions';
import { connectionView } from '../../src/bots/catalog';
import { escapeMrkdwn } from '../../src/views/blocks';
import { buildAskModal } from '../../src/views/ask-modal';
import { buildBotModal } from '../../src/views/bot-modal';
import { buildNoticeModal } from '../../src/views/notice-modal';
import { actorOf, mayConfigure, type Actor } from '../context';
import type { HandlerDeps } from '../deps';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const gone = buildNoticeModal('Bot not found', 'This bot was deleted.');

/** Ack at once, then go on only for people who may configure Baton (others see who to ask). */
const forAdmins =
  (deps: HandlerDeps, next: (args: ButtonArgs, actor: Actor) => Promise<void>) =>
  async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const actor = actorOf(args.context, args.body);
    if (await mayConfigure(deps, args.client, actor, args.body.trigger_id)) await next(args, actor);
  };

/** "New bot" (bots list or App Home): the bot modal, opened right after the ack while the trigger is fresh. */
export const onNewBot = (deps: HandlerDeps) =>
  forAdmins(deps, async ({ body, client }) => {
    await client.views.open({ trigger_id: body.trigger_id, view: buildBotModal({}) });
  });

export const onEditBot = (deps: HandlerDeps) =>
  forAdmins(deps, async ({ body, client, action }, actor) => {
    const bot = await deps.stores.bots.get(actor.teamId, action.value ?? '');
    const view = bot ? buildBotModal({ bot, usage: await deps.stores.bots.usage(bot.id) }) : gone;
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

/** Buttons inside the bot modal push the next modal on top of it. */
export const onOpenConnection = (deps: HandlerDeps) =>
  forAdmins(deps, async ({ body, client, action }, actor) => {
    const view = (await connectionView(deps.stores, actor, action.value ?? '', { apiUrl: deps.apiUrl })) ?? gone;
    await client.views.push({ trigger_id: body.trigger_id, view });
  });

export const onAskAgent = (deps: HandlerDeps) =>
  forAdmins(deps, async ({ body, client, action }, actor) => {
    const bot = await deps.stores.bots.get(actor.teamId, action.value ?? '');
    await client.views.push({ trigger_id: body.trigger_id, view: bot ? buildAskModal(bot) : gone });
  });

/** Confirmed in Slack's own dialog, which named the sessions and channels that used the bot. */
export const onDeleteBot = (deps: HandlerDeps) =>
  forAdmins(deps, async ({ body, client, action }, actor) => {
    const bot = await deps.stores.bots.get(actor.teamId, action.value ?? '');
    if (bot && (await deps.stores.bots.delete(actor.teamId, bot.id))) {
      await deps.stores.audit.record({
        teamId: actor.teamId,
        actorId: actor.userId,
        action: 'bot.deleted',
        target: bot.name,
      });
    }
    if (body.view) {
      const text = bot ? `*${escapeMrkdwn(bot.name)}* was deleted.` : 'This bot was already deleted.';
      await client.views.update({ view_id: body.view.id, view: buildNoticeModal('Bot deleted', text) });
    }
  });

export const onRetrySync = (deps: HandlerDeps) =>
  forAdmins(deps, async ({ body, action, respond }, actor) => {
    const bot = await deps.stores.bots.get(actor.teamId, action.value ?? '');
    if (!bot) return;
    await deps.stores.bots.setStatus(bot.id, 'syncing');
    await deps.queue.enqueue(createJob('sync-bot', { ...actor, botId: bot.id, actorId: actor.userId }, bot.id));
    if (body.container.type === 'message') {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `Syncing *${escapeMrkdwn(bot.name)}* again…`,
      });
    }
  });
