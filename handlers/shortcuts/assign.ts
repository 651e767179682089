import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { buildAssignModal } from '../../src/views/assign-modal';
import { actorOf } from '../context';
import type { HandlerDeps } from '../deps';

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** "Assign to bot" on any message: a modal (bot + extra instructions) for a session in that message's thread. */
export const onAssignShortcut =
  (deps: HandlerDeps) =>
  async ({ ack, shortcut, client, context }: ShortcutArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, shortcut);
    const bots = await deps.stores.bots.list(actor.teamId);
    const target = {
      channel: shortcut.channel.id,
      threadTs: shortcut.message.thread_ts ?? shortcut.message.ts,
      messageTs: shortcut.message.ts,
    };
    await client.views.open({ trigger_id: shortcut.trigger_id, view: buildAssignModal(bots, target) });
  };
