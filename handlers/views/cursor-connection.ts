import { submittedToolAccess } from '../../src/views/connection-parts';
import { AUTO_PR, DEFAULT_MODEL, NO_REPOSITORY } from '../../src/views/cursor-connection-modal';
import { INPUT } from '../../src/views/ids';
import { selectedValue, selectedValues, textValue, type ViewStateValues } from '../../src/views/state';
import { submittedBot, submittedKey, type SubmitArgs } from '../context';
import type { HandlerDeps } from '../deps';

// Git refuses these in branch names; catching them here beats a failed agent launch later.
const BAD_BRANCH = /(^[-/.])|([/.]$)|\.\.|[\s~^:?*[\\]|@\{/;

/** Saves a Cursor Cloud bot's connection; only a validated key unlocks it, and the bot is ready at once. */
export const onCursorConnectionSubmit =
  (deps: HandlerDeps) =>
  async (args: SubmitArgs): Promise<void> => {
    const submitted = await submittedBot(deps, args);
    if (!submitted) return;
    const { actor, bot } = submitted;
    const key = await submittedKey(deps, actor, args, 'cursor', 'Choose a Cursor API key (or add one).');
    if (!key) return;
    const { ack, view } = args;
    const { stores } = deps;
    const values = view.state.values as ViewStateValues;
    const repoValue = selectedValue(values, INPUT.repository);
    const repository = repoValue && repoValue !== NO_REPOSITORY ? repoValue : null;
    const branch = textValue(values, INPUT.branch).trim();
    const errors: Record<string, string> = {};
    if (!values[INPUT.repository]) errors[INPUT.key] = 'Validate the connection again to load the repositories.';
    else if (repository && !key.repositories.some((r) => r.url === repository)) {
      errors[INPUT.repository] = 'This key can no longer see that repository. Validate the connection again.';
    }
    if (branch && BAD_BRANCH.test(branch)) errors[INPUT.branch] = 'This is not a valid branch name.';
    if (branch && !repository) errors[INPUT.branch] = 'A starting branch needs a repository.';
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const modelValue = selectedValue(values, INPUT.model);
    const connection = {
      keyId: key.id,
      repository,
      branch: branch || null,
      model: modelValue && modelValue !== DEFAULT_MODEL ? modelValue : null,
      isAutoCreatePr: selectedValues(values, INPUT.autoPr).includes(AUTO_PR),
      guidance: textValue(values, INPUT.guidance).trim(),
    };
    const { toolMode, allowDirectApi } = submittedToolAccess(values);
    await stores.cursor.save(bot.id, connection);
    await stores.bots.setToolAccess(bot.id, { toolMode, allowDirectApi });
    await stores.bots.setStatus(bot.id, 'ready');
    await ack({ response_action: 'clear' });
    const { guidance: _guidance, ...details } = connection;
    await stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'bot.connection_saved',
      target: bot.name,
      details: { ...details, toolMode, allowDirectApi },
    });
  };
