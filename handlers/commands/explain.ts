import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { configRows } from '../../src/sessions/describe-config';
import { loadSessionConfig } from '../../src/sessions/session-config';
import { escapeMrkdwn } from '../../src/views/blocks';
import { buildConfigDetails } from '../../src/views/config-details';
import type { Actor } from '../context';
import type { HandlerDeps } from '../deps';
import { channelKeyOf } from './channel';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/baton explain <bot>`: what a session with that bot would run with in this channel, and why; starts nothing. */
export const onExplainCommand =
  (deps: HandlerDeps) =>
  async ({ respond, command }: CommandArgs, actor: Actor): Promise<void> => {
    const say = (text: string) => respond({ response_type: 'ephemeral', text });
    const name = command.text.trim().split(/\s+/).slice(1).join(' ');
    const key = channelKeyOf(actor, command.channel_id);
    const bot = name
      ? await deps.stores.bots.findByName(actor.teamId, name)
      : await deps.channels.defaultBotId(key).then((id) => (id ? deps.stores.bots.get(actor.teamId, id) : undefined));
    if (!bot) {
      return void (await say(
        name
          ? `There is no bot named *${escapeMrkdwn(name)}*. \`/baton bots\` lists them.`
          : 'This channel has no default bot: name one, `/baton explain <bot name>`.',
      ));
    }
    const resolution = await loadSessionConfig(deps.settings, key, bot.id);
    if (!resolution.ok) return void (await say(resolution.problem));
    const cap = resolution.config.monthlyCapCents;
    await respond({
      response_type: 'ephemeral',
      text: `What ${bot.name} would run with here`,
      blocks: buildConfigDetails(
        `A session with *${escapeMrkdwn(bot.displayName)}* in <#${key.channelId}> would run with:`,
        configRows(resolution.config),
        `Nothing was started. ${cap == null ? 'This channel has no monthly cap.' : `Monthly cap here: $${(cap / 100).toFixed(2)}.`} Admins change these with \`/baton channel\`.`,
      ),
    });
  };
