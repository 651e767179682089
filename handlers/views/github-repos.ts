import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { connectionView } from '../../src/bots/catalog';
import type { ChosenRepository } from '../../src/domain/github';
import { BRANCH_BLOCK_PREFIX, isValidBranch, type GitHubReposMetadata } from '../../src/views/github-repos-modal';
import { INPUT } from '../../src/views/ids';
import { selectedValues, textValue, type ViewStateValues } from '../../src/views/state';
import { actorOf, parseMetadata } from '../context';
import type { HandlerDeps } from '../deps';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Saves the bot's repositories (each with its branch), closes the picker and redraws the Agent connection modal. */
export const onGitHubReposSubmit =
  (deps: HandlerDeps) =>
  async ({ ack, body, view, client, context }: SubmitArgs): Promise<void> => {
    const actor = actorOf(context, body);
    const meta = parseMetadata<GitHubReposMetadata>(view.private_metadata);
    const connection = meta.botId ? await deps.stores.github.get(meta.botId) : undefined;
    const bot = meta.botId ? await deps.stores.bots.get(actor.teamId, meta.botId) : undefined;
    if (!bot || !connection || !meta.parentViewId) {
      await ack({
        response_action: 'errors',
        errors: { [INPUT.repositories]: 'This bot is no longer connected to GitHub.' },
      });
      return;
    }
    const values = view.state.values as ViewStateValues;
    const names = selectedValues(values, INPUT.repositories);
    const unknown = names.filter((name) => !connection.available.some((r) => r.fullName === name));
    const errors: Record<string, string> = {};
    if (unknown.length) errors[INPUT.repositories] = `The GitHub App no longer reaches ${unknown.join(', ')}.`;
    const chosen: ChosenRepository[] = names.map((fullName) => {
      const blockId = `${BRANCH_BLOCK_PREFIX}${fullName}`;
      const branch = textValue(values, blockId).trim();
      if (branch && !isValidBranch(branch)) errors[blockId] = 'That is not a valid branch name.';
      return { fullName, branch: branch || null };
    });
    if (Object.keys(errors).length) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    await deps.stores.github.choose(bot.id, chosen);
    await deps.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'github.repositories_chosen',
      target: bot.name,
      details: { repositories: chosen.map((c) => c.fullName) },
    });
    const parent = await connectionView(deps.stores, actor, bot.id);
    if (parent) await client.views.update({ view_id: meta.parentViewId, view: parent });
  };
