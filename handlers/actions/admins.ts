import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  MultiUsersSelectAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { buildAdminsList } from '../../src/views/admins-list';
import { actorOf, mayConfigureHere, type Actor } from '../context';
import type { HandlerDeps } from '../deps';

type Args<A extends ButtonAction | MultiUsersSelectAction> = SlackActionMiddlewareArgs<BlockAction<A>> &
  AllMiddlewareArgs;

async function redraw(deps: HandlerDeps, actor: Actor, respond: Args<ButtonAction>['respond']) {
  const admins = await deps.stores.admins.list(actor.teamId);
  await respond({
    response_type: 'ephemeral',
    replace_original: true,
    text: 'Baton admins',
    blocks: buildAdminsList(admins, { canConfigure: true }),
  });
}

/** Only admins change the admin list; Slack bots cannot be admins. */
export const onAddAdmins =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action, respond }: Args<MultiUsersSelectAction>): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigureHere(deps, client, actor, respond))) return;
    const userIds = action.selected_users;
    await deps.stores.admins.add(actor.teamId, userIds, actor.userId);
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'admins.added',
      target: userIds.join(','),
    });
    await redraw(deps, actor, respond);
  };

export const onRemoveAdmin =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action, respond }: Args<ButtonAction>): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigureHere(deps, client, actor, respond))) return;
    const userId = action.value ?? '';
    await deps.stores.admins.remove(actor.teamId, userId);
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'admins.removed',
      target: userId,
    });
    await redraw(deps, actor, respond);
  };
