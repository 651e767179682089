import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { connectionView } from '../../src/bots/catalog';
import { checkRuntimeUrl } from '../../src/domain/self-hosted';
import type { ConnectionMetadata } from '../../src/views/connection-modal';
import { INPUT } from '../../src/views/ids';
import { buildNoticeModal } from '../../src/views/notice-modal';
import { selectedValue, selectedValues, textValue, type ViewStateValues } from '../../src/views/state';
import { actorOf, maySubmit, parseMetadata } from '../context';
import type { HandlerDeps } from '../deps';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Saves a Self-hosted bot's runtime URL (and turns deliveries back on after a 410). The first save makes the
 * signing secret and keeps the modal open to show it, once; later saves close the modal.
 */
export const onRuntimeConnectionSubmit =
  (deps: HandlerDeps) =>
  async ({ ack, body, view, client, context }: SubmitArgs): Promise<void> => {
    const actor = actorOf(context, body);
    if (!(await maySubmit(deps, client, actor, ack))) return;
    const { stores } = deps;
    const values = view.state.values as ViewStateValues;
    const bot = await stores.bots.get(
      actor.teamId,
      parseMetadata<ConnectionMetadata>(view.private_metadata).botId ?? '',
    );
    if (!bot) {
      await ack({ response_action: 'update', view: buildNoticeModal('Bot not found', 'This bot was deleted.') });
      return;
    }
    const url = textValue(values, INPUT.runtimeUrl).trim();
    const problem = checkRuntimeUrl(url);
    if (problem) {
      await ack({ response_action: 'errors', errors: { [INPUT.runtimeUrl]: problem } });
      return;
    }
    const toolMode = selectedValue(values, INPUT.toolMode) === 'full' ? 'full' : 'basic';
    const allowDirectApi = selectedValues(values, INPUT.directApi).includes('direct_api');
    const { newSecret } = await stores.selfHosted.save(bot.id, {
      url,
      guidance: textValue(values, INPUT.guidance).trim(),
    });
    await stores.bots.setToolAccess(bot.id, { toolMode, allowDirectApi });
    await stores.bots.setStatus(bot.id, 'ready');
    if (newSecret) {
      const shown = await connectionView(stores, actor, bot.id, { newSecret, apiUrl: deps.apiUrl });
      await ack(shown ? { response_action: 'update', view: shown } : { response_action: 'clear' });
    } else {
      await ack({ response_action: 'clear' });
    }
    await stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'bot.connection_saved',
      target: bot.name,
      details: { url, toolMode, allowDirectApi, isNewSecret: Boolean(newSecret) },
    });
  };
