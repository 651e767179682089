import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { escapeMrkdwn } from '../../src/views/blocks';
import { respondWithTokens } from '../actions/tokens';
import type { Actor } from '../context';
import type { HandlerDeps } from '../deps';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/baton tokens <bot name>` (admins): the bot's API tokens, with Create and Revoke. */
export const onTokensCommand =
  (deps: HandlerDeps) =>
  async (args: CommandArgs, actor: Actor): Promise<void> => {
    const { respond, command, client } = args;
    if (!(await deps.access.canConfigure(client, actor.teamId, actor.userId))) {
      await respond({ response_type: 'ephemeral', text: await deps.access.denial(actor.teamId) });
      return;
    }
    const name = command.text.trim().split(/\s+/).slice(1).join(' ');
    if (!name) {
      await respond({ response_type: 'ephemeral', text: 'Which bot? Try `/baton tokens <bot name>`.' });
      return;
    }
    const bot = await deps.stores.bots.findByName(actor.teamId, name);
    if (!bot) {
      await respond({
        response_type: 'ephemeral',
        text: `There is no bot named *${escapeMrkdwn(name)}*. \`/baton bots\` lists them.`,
      });
      return;
    }
    await respondWithTokens(deps, respond, bot, { replace: false });
  };
