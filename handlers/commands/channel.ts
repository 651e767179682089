import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ChannelKey } from '../../src/domain/channel-settings';
import { channelSettingsView } from '../../src/settings/channel-modal-data';
import { escapeMrkdwn } from '../../src/views/blocks';
import type { Actor } from '../context';
import type { HandlerDeps } from '../deps';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const GUIDANCE_MAX = 3000;
const USAGE =
  '`/baton channel` opens this channel’s settings; `/baton channel <bot name>` opens one bot’s section. Shortcuts ' +
  'for admins: `/baton channel default <bot name|none>` and `/baton channel guidance <text|clear>`.';

export const channelKeyOf = (actor: Actor, channelId: string): ChannelKey => ({
  teamId: actor.teamId,
  enterpriseId: actor.enterpriseId ?? null,
  channelId,
});

/**
 * `/baton channel`: opens the Channel settings modal (admins edit, everyone else reads). `default` and `guidance`
 * stay as shortcuts for admins.
 */
export const onChannelCommand =
  (deps: HandlerDeps) =>
  async ({ respond, command, client }: CommandArgs, actor: Actor): Promise<void> => {
    const { channels } = deps;
    const say = (text: string) => respond({ response_type: 'ephemeral', text });
    const [, setting = '', ...rest] = command.text.trim().split(/\s+/);
    const value = rest.join(' ').trim();
    const key = channelKeyOf(actor, command.channel_id);
    if (!['default', 'guidance'].includes(setting.toLowerCase())) {
      const focus = setting
        ? await deps.stores.bots.findByName(actor.teamId, [setting, ...rest].join(' ').trim())
        : undefined;
      if (setting && !focus) return void (await say(`There is no bot named *${escapeMrkdwn(setting)}*. ${USAGE}`));
      const canEdit = await deps.access.canConfigure(client, actor.teamId, actor.userId);
      const view = await channelSettingsView(
        { sources: deps.settings, client, listBots: (teamId) => deps.stores.bots.list(teamId) },
        key,
        { canEdit, focus },
      );
      await client.views.open({ trigger_id: command.trigger_id, view });
      return;
    }
    if (!(await deps.access.canConfigure(client, actor.teamId, actor.userId))) {
      return void (await say(await deps.access.denial(actor.teamId)));
    }
    const before = await channels.get(key);
    const audit = (details: Record<string, unknown>) =>
      deps.stores.audit.record({
        teamId: actor.teamId,
        actorId: actor.userId,
        action: `channel.${setting.toLowerCase()}`,
        target: key.channelId,
        details,
      });

    if (setting.toLowerCase() === 'default') {
      if (value === 'none') {
        await channels.save(key, { defaultBotId: null });
        await audit({ before: { defaultBotId: before.defaultBotId }, after: { defaultBotId: null } });
        return void (await say('This channel has no default bot now: mentions must name one.'));
      }
      const bot = await deps.stores.bots.findByName(actor.teamId, value);
      if (!bot) return void (await say(`There is no bot named *${escapeMrkdwn(value)}*. \`/baton bots\` lists them.`));
      await channels.save(key, { defaultBotId: bot.id });
      await audit({
        before: { defaultBotId: before.defaultBotId },
        after: { defaultBotId: bot.id, defaultBot: bot.name },
      });
      return void (await say(`Mentions of Baton here that name no bot now go to *${escapeMrkdwn(bot.name)}*.`));
    }
    if (Array.from(value).length > GUIDANCE_MAX)
      return void (await say(`Guidance is limited to ${GUIDANCE_MAX} characters.`));
    const guidance = value === 'clear' ? '' : value;
    await channels.save(key, { guidance });
    await audit({ before: { guidance: before.guidance }, after: { guidance } });
    await say(guidance ? 'Saved: every session started in this channel gets this guidance.' : 'Guidance cleared.');
  };
