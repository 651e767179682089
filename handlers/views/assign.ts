import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { createHandToBotJob } from '../../jobs/definitions';
import type { AssignMetadata } from '../../src/views/assign-modal';
import { INPUT } from '../../src/views/ids';
import { selectedValue, textValue, type ViewStateValues } from '../../src/views/state';
import { actorOf, parseMetadata } from '../context';
import type { HandlerDeps } from '../deps';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export const onAssignSubmit =
  (deps: HandlerDeps) =>
  async ({ ack, body, view, context }: SubmitArgs): Promise<void> => {
    const actor = actorOf(context, body);
    const values = view.state.values as ViewStateValues;
    const target = parseMetadata<AssignMetadata>(view.private_metadata);
    const bot = await deps.stores.bots.get(actor.teamId, selectedValue(values, INPUT.bot) ?? '');
    if (!bot || !target.channel || !target.threadTs || !target.messageTs) {
      await ack({ response_action: 'errors', errors: { [INPUT.bot]: 'Choose a bot (it may have been deleted).' } });
      return;
    }
    await ack();
    // The view id is unique per opened modal: submitting it again cannot start a second session.
    await deps.queue.enqueue(
      createHandToBotJob(`assign-${view.id}`, {
        traceId: actor.traceId,
        teamId: actor.teamId,
        enterpriseId: actor.enterpriseId,
        source: 'assignment',
        channel: target.channel,
        userId: actor.userId,
        messageTs: target.messageTs,
        threadTs: target.threadTs,
        words: textValue(values, INPUT.instructions_extra).trim(),
        botId: bot.id,
      }),
    );
  };
