import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { connectionView } from '../../src/bots/catalog';
import type { ChosenRepository } from '../../src/domain/github';
import { buildGitHubReposModal, type GitHubReposMetadata } from '../../src/views/github-repos-modal';
import { buildNoticeModal } from '../../src/views/notice-modal';
import { escapeMrkdwn } from '../../src/views/blocks';
import { ACTION, INPUT } from '../../src/views/ids';
import { selectedValues, type ViewStateValues } from '../../src/views/state';
import { actorOf, mayConfigure, mayConfigureHere, parseMetadata } from '../context';
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

/**
 * "Reconnect GitHub" under a clone failure in a thread: an admin gets a link of their own (bound to them and the
 * session's bot, like the one in the bot's settings); anyone else is told whom to ask.
 */
export const onReconnectGitHubFromThread =
  (deps: HandlerDeps) =>
  async ({ ack, body, action, client, context, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigureHere(deps, client, actor, respond))) return;
    const session = await deps.sessions.get(action.value ?? '');
    const bot = session?.teamId === actor.teamId ? await deps.stores.bots.get(actor.teamId, session.botId) : undefined;
    const links = deps.stores.githubLinks;
    const ephemeral = (text: string, blocks?: unknown[]) =>
      respond({ response_type: 'ephemeral', replace_original: false, text, ...(blocks ? { blocks } : {}) });
    if (!bot) return void (await ephemeral('This bot was deleted.'));
    if (!links) return void (await ephemeral("Baton's GitHub App is not configured. See the README's GitHub section."));
    const { url } = links.connect({ teamId: actor.teamId, userId: actor.userId, botId: bot.id });
    const text = `Reconnect GitHub for *${escapeMrkdwn(bot.name)}*: install or update Baton's GitHub App, then choose its repositories again if needed. The link is yours alone.`;
    await ephemeral(text, [
      {
        type: 'section',
        text: { type: 'mrkdwn', text },
        accessory: {
          type: 'button',
          text: { type: 'plain_text', text: 'Reconnect GitHub' },
          url,
          action_id: ACTION.openGitHubInstall,
        },
      },
    ]);
  };
