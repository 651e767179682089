import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { connectionView } from '../../src/bots/catalog';
import type { ChosenRepository } from '../../src/domain/github';
import { buildGitHubReposModal, type GitHubReposMetadata } from '../../src/views/github-repos-modal';
import { buildNoticeModal } from '../../src/views/notice-modal';
import { INPUT } from '../../src/views/ids';
import { selectedValues, type ViewStateValues } from '../../src/views/state';
import { actorOf, mayConfigure, parseMetadata } from '../context';
import type { HandlerDeps } from '../deps';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type ChoiceArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * Connect GitHub / Reconnect GitHub are links (the browser goes to GitHub); Slack still reports the click, which
 * tells Baton which modal to redraw when the admin comes back.
 */
export const onGitHubLink =
  (deps: HandlerDeps) =>
  async ({ ack, body, action }: ButtonArgs): Promise<void> => {
    await ack();
    if (body.view?.id && action.value) await deps.stores.github.rememberView(action.value, body.view.id);
  };

/** "Choose repositories": the picker on top of the Agent connection modal. */
export const onChooseRepositories =
  (deps: HandlerDeps) =>
  async ({ ack, body, action, client, context }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigure(deps, client, actor, body.trigger_id))) return;
    const botId = action.value ?? '';
    const [bot, connection] = await Promise.all([
      deps.stores.bots.get(actor.teamId, botId),
      deps.stores.github.get(botId),
    ]);
    const view =
      bot && connection && body.view
        ? buildGitHubReposModal({
            botName: bot.name,
            connection,
            selected: connection.chosen,
            metadata: { botId, parentViewId: body.view.id },
          })
        : buildNoticeModal(
            'GitHub',
            'This bot is no longer connected to GitHub. Close this and open its settings again.',
          );
    await client.views.push({ trigger_id: body.trigger_id, view });
  };

/** The picker's selection changed: redraw it with a branch field for each chosen repository. */
export const onRepositoriesPicked =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context }: ChoiceArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    const view = body.view;
    const meta = parseMetadata<GitHubReposMetadata>(view?.private_metadata);
    if (!view || !meta.botId || !meta.parentViewId) return;
    if (!(await mayConfigure(deps, client, actor))) return;
    const [bot, connection] = await Promise.all([
      deps.stores.bots.get(actor.teamId, meta.botId),
      deps.stores.github.get(meta.botId),
    ]);
    if (!bot || !connection) return;
    const selected: ChosenRepository[] = selectedValues(view.state.values as ViewStateValues, INPUT.repositories).map(
      (fullName) => ({ fullName, branch: connection.chosen.find((c) => c.fullName === fullName)?.branch ?? null }),
    );
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: buildGitHubReposModal({
        botName: bot.name,
        connection,
        selected,
        metadata: { botId: meta.botId, parentViewId: meta.parentViewId },
      }),
    });
  };

/** "Disconnect": the bot stops mounting repositories; running sessions keep their token until they end. */
export const onDisconnectGitHub =
  (deps: HandlerDeps) =>
  async ({ ack, body, action, client, context }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigure(deps, client, actor, body.trigger_id))) return;
    const bot = await deps.stores.bots.get(actor.teamId, action.value ?? '');
    if (!bot) return;
    if (await deps.stores.github.disconnect(bot.id)) {
      await deps.audit.record({
        teamId: actor.teamId,
        actorId: actor.userId,
        action: 'github.disconnected',
        target: bot.name,
      });
    }
    const view = body.view ? await connectionView(deps.stores, actor, bot.id) : undefined;
    if (view && body.view) await client.views.update({ view_id: body.view.id, view });
  };
