import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { clip, escapeMrkdwn } from '../../src/views/blocks';
import type { Actor } from '../context';
import type { HandlerDeps } from '../deps';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const GUIDANCE_MAX = 3000;
const USAGE =
  '`/baton channel` shows this channel’s settings; admins change them with `/baton channel default <bot name|none>` ' +
  'and `/baton channel guidance <text|clear>`.';

/**
 * `/baton channel`: this channel's default bot (for mentions that name none) and guidance added to every session
 * started here. Everyone may look; only admins change them.
 */
export const onChannelCommand =
  (deps: HandlerDeps) =>
  async ({ respond, command, client }: CommandArgs, actor: Actor): Promise<void> => {
    const { channels } = deps;
    const say = (text: string) => respond({ response_type: 'ephemeral', text });
    const [, setting = '', ...rest] = command.text.trim().split(/\s+/);
    const value = rest.join(' ').trim();
    const channel = command.channel_id;
    if (setting === '') {
      const current = await channels.get(actor.teamId, channel);
      const bot = current.defaultBotId ? await deps.stores.bots.get(actor.teamId, current.defaultBotId) : undefined;
      const guidance = current.guidance
        ? `\n>${escapeMrkdwn(clip(current.guidance, 1500)).replace(/\n/g, '\n>')}`
        : ' none';
      await say(`*Default bot:* ${bot ? `*${escapeMrkdwn(bot.name)}*` : 'none'}\n*Guidance:*${guidance}\n${USAGE}`);
      return;
    }
    if (!['default', 'guidance'].includes(setting)) return void (await say(USAGE));
    if (!(await deps.access.canConfigure(client, actor.teamId, actor.userId))) {
      return void (await say(await deps.access.denial(actor.teamId)));
    }
    const audit = (target: string, details: Record<string, unknown>) =>
      deps.stores.audit.record({
        teamId: actor.teamId,
        actorId: actor.userId,
        action: `channel.${setting}`,
        target,
        details,
      });

    if (setting === 'default') {
      if (value === 'none') {
        await channels.save(actor.teamId, channel, { defaultBotId: null });
        await audit(channel, { defaultBot: null });
        return void (await say('This channel has no default bot now: mentions must name one.'));
      }
      const bot = await deps.stores.bots.findByName(actor.teamId, value);
      if (!bot) return void (await say(`There is no bot named *${escapeMrkdwn(value)}*. \`/baton bots\` lists them.`));
      await channels.save(actor.teamId, channel, { defaultBotId: bot.id });
      await audit(channel, { defaultBot: bot.name });
      return void (await say(`Mentions of Baton here that name no bot now go to *${escapeMrkdwn(bot.name)}*.`));
    }
    if (Array.from(value).length > GUIDANCE_MAX)
      return void (await say(`Guidance is limited to ${GUIDANCE_MAX} characters.`));
    const guidance = value === 'clear' ? '' : value;
    await channels.save(actor.teamId, channel, { guidance });
    await audit(channel, { length: guidance.length });
    await say(guidance ? 'Saved: every session started in this channel gets this guidance.' : 'Guidance cleared.');
  };
