import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildKeysList } from '../../src/views/keys-list';
import { actorOf, mayConfigureHere } from '../context';
import type { HandlerDeps } from '../deps';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Delete a saved key, after Slack's confirm dialog named the bots using it; the list is redrawn in place. */
export const onDeleteKey =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigureHere(deps, client, actor, respond))) return;
    const { keys, audit } = deps.stores;
    const key = await keys.get(actor.teamId, action.value ?? '');
    if (key) {
      const usedBy = await keys.usedBy(key.id);
      await keys.delete(actor.teamId, key.id);
      await audit.record({
        teamId: actor.teamId,
        actorId: actor.userId,
        action: 'key.deleted',
        target: key.label,
        details: { keyId: key.id, usedBy },
      });
    }
    const remaining = await keys.list(actor.teamId, 'anthropic');
    const items = await Promise.all(remaining.map(async (k) => ({ ...k, usedBy: await keys.usedBy(k.id) })));
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      text: 'Anthropic API keys',
      blocks: buildKeysList(items),
    });
  };
