import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { createJob } from '../../jobs/definitions';
import type { AskMetadata } from '../../src/views/ask-modal';
import { INPUT } from '../../src/views/ids';
import { buildNoticeModal } from '../../src/views/notice-modal';
import { textValue, type ViewStateValues } from '../../src/views/state';
import { actorOf, parseMetadata } from '../context';
import type { HandlerDeps } from '../deps';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** "Ask agent" submitted: show "Thinking…" and let a job ask Baton's assistant. */
export const onAskSubmit =
  (deps: HandlerDeps) =>
  async ({ ack, body, view, context }: SubmitArgs): Promise<void> => {
    const actor = actorOf(context, body);
    const ask = textValue(view.state.values as ViewStateValues, INPUT.ask).trim();
    if (!ask) {
      await ack({
        response_action: 'errors',
        errors: { [INPUT.ask]: 'Say what the bot should do, or what went wrong.' },
      });
      return;
    }
    const botId = parseMetadata<AskMetadata>(view.private_metadata).botId ?? '';
    await ack({
      response_action: 'update',
      view: buildNoticeModal('Ask agent', ':hourglass_flowing_sand: Baton’s assistant is thinking about your request…'),
    });
    await deps.queue.enqueue(createJob('ask-agent', { ...actor, botId, viewId: view.id, ask }, botId));
  };
