import { connectionView } from '../../src/bots/catalog';
import { checkRuntimeUrl } from '../../src/domain/self-hosted';
import { submittedToolAccess } from '../../src/views/connection-parts';
import { INPUT } from '../../src/views/ids';
import { textValue, type ViewStateValues } from '../../src/views/state';
import { submittedBot, type SubmitArgs } from '../context';
import type { HandlerDeps } from '../deps';

/**
 * Saves a Self-hosted bot's runtime URL (and turns deliveries back on after a 410). The first save makes the
 * signing secret and keeps the modal open to show it, once; later saves close the modal.
 */
export const onRuntimeConnectionSubmit =
  (deps: HandlerDeps) =>
  async (args: SubmitArgs): Promise<void> => {
    const submitted = await submittedBot(deps, args);
    if (!submitted) return;
    const { actor, bot } = submitted;
    const { ack, view } = args;
    const { stores } = deps;
    const values = view.state.values as ViewStateValues;
    const url = textValue(values, INPUT.runtimeUrl).trim();
    const problem = checkRuntimeUrl(url);
    if (problem) {
      await ack({ response_action: 'errors', errors: { [INPUT.runtimeUrl]: problem } });
      return;
    }
    const { toolMode, allowDirectApi } = submittedToolAccess(values);
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
