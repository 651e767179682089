import { createJob } from '../../jobs/definitions';
import { connectionView } from '../../src/bots/catalog';
import type { RichTextBlock } from '../../src/domain/claude';
import { MAX_SKILLS_PER_SESSION } from '../../src/domain/skills';
import { submittedToolAccess } from '../../src/views/connection-parts';
import { INPUT } from '../../src/views/ids';
import { richTextValue, selectedValue, selectedValues, textValue, type ViewStateValues } from '../../src/views/state';
import { submittedBot, submittedKey, type SubmitArgs } from '../context';
import type { HandlerDeps } from '../deps';

/**
 * Saves the Agent connection. Managed: store the settings, mark the bot Syncing… and let a job create or repair
 * the agent, environment and vault; the modal closes at once. Existing: a job first checks the chosen resources
 * still exist, showing "Checking…" meanwhile, so nothing half-valid is saved.
 */
export const onConnectionSubmit =
  (deps: HandlerDeps) =>
  async (args: SubmitArgs): Promise<void> => {
    const submitted = await submittedBot(deps, args);
    if (!submitted) return;
    const { actor, bot } = submitted;
    const key = await submittedKey(deps, actor, args, 'anthropic', 'Choose an API key (or add one).');
    if (!key) return;
    const { ack, view } = args;
    const { stores } = deps;
    const values = view.state.values as ViewStateValues;
    const mode = selectedValue(values, INPUT.mode) === 'existing' ? 'existing' : 'managed';
    const { toolMode, allowDirectApi } = submittedToolAccess(values);

    if (mode === 'existing') {
      const agentId = selectedValue(values, INPUT.agent);
      const environmentId = selectedValue(values, INPUT.environment);
      const errors: Record<string, string> = {};
      if (!values[INPUT.agent])
        errors[INPUT.mode] = 'Press Refresh Claude resources, then pick an agent and environment.';
      else if (!agentId || agentId === 'none') errors[INPUT.agent] = 'Choose the Claude agent this bot runs.';
      if (values[INPUT.environment] && (!environmentId || environmentId === 'none')) {
        errors[INPUT.environment] = 'Choose an environment: sessions need one to run in.';
      }
      if (Object.keys(errors).length > 0 || !agentId || !environmentId) {
        await ack({ response_action: 'errors', errors });
        return;
      }
      const checking = await connectionView(stores, actor, bot.id, {
        selectedKeyId: key.id,
        mode,
        busy: 'saving',
      });
      await ack(checking ? { response_action: 'update', view: checking } : undefined);
      const vaultIds = selectedValues(values, INPUT.vaults);
      await deps.queue.enqueue(
        createJob(
          'connect-existing',
          {
            ...actor,
            botId: bot.id,
            actorId: actor.userId,
            viewId: view.id,
            keyId: key.id,
            agentId,
            environmentId,
            vaultIds,
            toolMode,
            allowDirectApi,
          },
          bot.id,
        ),
      );
      return;
    }

    const model = selectedValue(values, INPUT.model);
    if (!model) {
      await ack({
        response_action: 'errors',
        errors: { [INPUT.mode]: 'Validate the connection again to load the models.' },
      });
      return;
    }
    const skills = values[INPUT.skills] ? selectedValues(values, INPUT.skills) : undefined;
    if (skills && skills.length > MAX_SKILLS_PER_SESSION) {
      await ack({
        response_action: 'errors',
        errors: { [INPUT.skills]: `Anthropic allows at most ${MAX_SKILLS_PER_SESSION} skills per session.` },
      });
      return;
    }
    await stores.connections.save(bot.id, {
      keyId: key.id,
      mode,
      model,
      ...(skills ? { skills } : {}),
      instructions: (richTextValue(values, INPUT.instructions) as RichTextBlock | undefined) ?? null,
      guidance: textValue(values, INPUT.guidance).trim(),
    });
    await stores.bots.setToolAccess(bot.id, { toolMode, allowDirectApi });
    await stores.bots.setStatus(bot.id, 'syncing');
    await ack({ response_action: 'clear' });
    await stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'bot.connection_saved',
      target: bot.name,
      details: { mode, model, keyId: key.id, toolMode, allowDirectApi, skills },
    });
    await deps.queue.enqueue(createJob('sync-bot', { ...actor, botId: bot.id, actorId: actor.userId }, bot.id));
  };
