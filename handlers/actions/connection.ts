import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { createJob, type JobRequest } from '../../jobs/definitions';
import { connectionView, type ConnectionViewOptions } from '../../src/bots/catalog';
import type { ConnectionMode } from '../../src/domain/claude';
import { buildAddKeyModal } from '../../src/views/add-key-modal';
import type { ConnectionMetadata } from '../../src/views/connection-modal';
import { INPUT } from '../../src/views/ids';
import { selectedValue, type ViewStateValues } from '../../src/views/state';
import { actorOf, mayConfigure, parseMetadata, type Actor } from '../context';
import type { HandlerDeps } from '../deps';

type ModalActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

interface ConnectionStep {
  options?: ConnectionViewOptions;
  job?: JobRequest;
}

interface ModalChoice {
  viewId: string;
  botId: string;
  keyId: string | undefined;
  mode: ConnectionMode;
}

/** What the person has chosen so far in the Agent connection modal. */
function choiceOf(body: BlockAction): ModalChoice | undefined {
  const view = body.view;
  if (!view) return undefined;
  const values = view.state.values as ViewStateValues;
  const botId = parseMetadata<ConnectionMetadata>(view.private_metadata).botId;
  if (!botId) return undefined;
  const mode = selectedValue(values, INPUT.mode) === 'existing' ? 'existing' : 'managed';
  return { viewId: view.id, botId, keyId: selectedValue(values, INPUT.key), mode };
}

/**
 * Every control in the modal follows the same path: ack, check the actor, read the choices, then redraw the
 * modal (Slack keeps typed input when block ids stay the same) and maybe hand slow work to a job.
 */
function connectionAction(
  deps: HandlerDeps,
  next: (args: ModalActionArgs, actor: Actor, choice: ModalChoice) => Promise<ConnectionStep | undefined>,
) {
  return async (args: ModalActionArgs): Promise<void> => {
    const { ack, body, client, context } = args;
    await ack();
    const actor = actorOf(context, body);
    const choice = choiceOf(body);
    if (!choice || !(await mayConfigure(deps, client, actor, body.trigger_id))) return;
    const step = await next(args, actor, choice);
    if (!step) return;
    const view = await connectionView(deps.stores, actor, choice.botId, {
      selectedKeyId: choice.keyId,
      mode: choice.mode,
      ...step.options,
    });
    if (view) await client.views.update({ view_id: choice.viewId, view });
    // Enqueued after the redraw, so a fast job's result is never overwritten by "working…".
    if (step.job) await deps.queue.enqueue(step.job);
  };
}

export const onConnectionChoice = (deps: HandlerDeps) => connectionAction(deps, async () => ({}));

export const onValidateKey = (deps: HandlerDeps) =>
  connectionAction(deps, async (_args, actor, { keyId, viewId, botId, mode }) => {
    if (!keyId) return {};
    const job = createJob('validate-key', { ...actor, keyId, view: { viewId, botId, mode } }, keyId);
    return { options: { busy: 'validating' }, job };
  });

export const onRefreshResources = (deps: HandlerDeps) =>
  connectionAction(deps, async (_args, actor, { keyId, viewId, botId, mode }) => {
    if (!keyId) return {};
    const job = createJob('refresh-resources', { ...actor, keyId, view: { viewId, botId, mode } }, keyId);
    return { options: { busy: 'refreshing' }, job };
  });

export const onAddKey = (deps: HandlerDeps) =>
  connectionAction(deps, async ({ body, client }, actor, choice) => {
    const bot = await deps.stores.bots.get(actor.teamId, choice.botId);
    const provider = bot?.type === 'cursor' ? 'cursor' : 'anthropic';
    await client.views.push({
      trigger_id: body.trigger_id,
      view: buildAddKeyModal({ botId: choice.botId, parentViewId: choice.viewId, mode: choice.mode, provider }),
    });
    return undefined;
  });
