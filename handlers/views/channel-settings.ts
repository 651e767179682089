import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { defaultBotSettings } from '../../src/domain/channel-settings';
import { parseChannelForm } from '../../src/settings/channel-form';
import { diffChannelSettings } from '../../src/settings/channel-diff';
import { buildNoticeModal } from '../../src/views/notice-modal';
import type { ViewStateValues } from '../../src/views/state';
import { channelKeyOf } from '../commands/channel';
import { actorOf } from '../context';
import type { HandlerDeps } from '../deps';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const metadata = z.object({ channelId: z.string().min(1), botIds: z.array(z.string()) });

/** Saves the Channel settings modal (admins only); mistakes come back inline, and every change is audited. */
export const onChannelSettingsSubmit =
  (deps: HandlerDeps) =>
  async ({ ack, body, view, context }: SubmitArgs): Promise<void> => {
    const actor = actorOf(context, body);
    let raw: unknown;
    try {
      raw = JSON.parse(view.private_metadata || '{}');
    } catch {
      raw = undefined;
    }
    const meta = metadata.safeParse(raw);
    if (!meta.success) {
      await ack({
        response_action: 'update',
        view: buildNoticeModal('Channel settings', 'This form has expired. Open it again with `/baton channel`.'),
      });
      return;
    }
    const key = channelKeyOf(actor, meta.data.channelId);
    const allBots = await deps.stores.bots.list(actor.teamId);
    const shown = allBots.filter((bot) => meta.data.botIds.includes(bot.id));
    const bots = await Promise.all(
      shown.map(async (bot) => ({
        id: bot.id,
        displayName: bot.displayName,
        repositories: (await deps.settings.repositories.forBot(actor.teamId, bot.id)).map((r) => r.fullName),
      })),
    );
    const form = parseChannelForm(view.state.values as ViewStateValues, bots, new Set(allBots.map((b) => b.id)));
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const before = await deps.channels.get(key);
    const { sections, ...own } = form.value;
    await deps.channels.saveAll(key, own, sections);
    const names = new Map(allBots.map((bot) => [bot.id, bot.name]));
    const changes = diffChannelSettings(
      before,
      { ...own, bots: sections },
      (id) => names.get(id) ?? id,
      defaultBotSettings,
    );
    if (Object.keys(changes).length > 0) {
      await deps.stores.audit.record({
        teamId: actor.teamId,
        actorId: actor.userId,
        action: 'channel.settings',
        target: key.channelId,
        details: changes,
      });
    }
    await ack({ response_action: 'clear' });
  };
