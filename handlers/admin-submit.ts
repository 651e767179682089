import type { AckFn, ViewOutput, ViewResponseAction } from '@slack/bolt';
import type { View } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { buildNoticeModal } from '../src/views/notice-modal';
import { buildFormWithNote, formErrorsNote, type SubmittedForm } from '../src/views/submitted-form';
import { actorOf, type Actor, type SubmitArgs } from './context';
import type { HandlerDeps } from './deps';

type ViewAck = AckFn<ViewResponseAction>;

const CHECKING_NOTE =
  ':hourglass_flowing_sand: Checking with Slack that you can change Baton settings… This form updates when done.';
const UNCHECKED_NOTE =
  ':warning: Slack did not confirm that you can change Baton settings, so nothing was saved. Save again in a moment.';

/**
 * Lets only admins submit a modal, within the 3 s Slack gives the ack. A non-admin's submit turns the modal into
 * "ask an admin" and nothing is saved. The check before the ack reads Baton's admin list and the cached Slack role
 * only; when the role is unknown (a slow or rate-limited `users.info` must not cost the ack) the form stays open
 * with a "checking" note, Slack is asked after the ack, and the listener's answer is then drawn with `views.update`.
 */
export const forAdmins =
  (deps: Pick<HandlerDeps, 'access' | 'log'>, listener: (args: SubmitArgs) => Promise<void>) =>
  async (args: SubmitArgs): Promise<void> => {
    const actor = actorOf(args.context, args.body);
    const ack = await admit(deps, args.client, actor, args.ack, args.view);
    if (ack) await listener({ ...args, ack });
  };

async function admit(
  deps: Pick<HandlerDeps, 'access' | 'log'>,
  client: WebClient,
  actor: Actor,
  ack: ViewAck,
  view: ViewOutput,
): Promise<ViewAck | undefined> {
  const denied = async () => buildNoticeModal('Ask an admin', await deps.access.denial(actor.teamId));
  const known = await deps.access.knownCanConfigure(actor.teamId, actor.userId);
  if (known === true) return ack;
  if (known === false) {
    await ack({ response_action: 'update', view: await denied() });
    return undefined;
  }
  const form = submittedForm(view);
  await ack({ response_action: 'update', view: buildFormWithNote(form, CHECKING_NOTE) });
  const update = (next: View) => client.views.update({ view_id: view.id, view: next });
  let allowed: boolean;
  try {
    allowed = await deps.access.canConfigure(client, actor.teamId, actor.userId);
  } catch (error) {
    deps.log.warn({ event: 'access.role_check_failed', traceId: actor.traceId, err: error });
    await update(buildFormWithNote(form, UNCHECKED_NOTE));
    return undefined;
  }
  if (!allowed) {
    await update(await denied());
    return undefined;
  }
  return async (response) => {
    if (!response || response.response_action === 'clear') {
      await update(buildNoticeModal(form.title.text, ':white_check_mark: Saved.'));
    } else if (response.response_action === 'errors') {
      await update(buildFormWithNote(form, formErrorsNote(form, response.errors)));
    } else {
      // `update` and `push`: a view can no longer be pushed once the submit was answered, so it replaces this one.
      await update(response.view);
    }
  };
}

const submittedForm = (view: ViewOutput): SubmittedForm => ({
  callback_id: view.callback_id,
  private_metadata: view.private_metadata,
  title: { type: 'plain_text', text: view.title.text },
  submit: view.submit ? { type: 'plain_text', text: view.submit.text } : null,
  close: view.close ? { type: 'plain_text', text: view.close.text } : null,
  blocks: view.blocks,
});
