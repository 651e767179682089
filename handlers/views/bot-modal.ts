import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { DuplicateBotNameError } from '../../models/bots';
import { connectionView } from '../../src/bots/catalog';
import type { BotType } from '../../src/domain/bots';
import { validateBotForm } from '../../src/views/bot-form';
import { INPUT } from '../../src/views/ids';
import { buildNoticeModal } from '../../src/views/notice-modal';
import { selectedValue, textValue, type ViewStateValues } from '../../src/views/state';
import { actorOf, parseMetadata } from '../context';
import type { HandlerDeps } from '../deps';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Saves "New bot" / "Edit bot". Checks run before the ack so mistakes show inline on the field; a new Claude
 * bot continues straight into its Agent connection.
 */
export const onBotSubmit =
  (deps: HandlerDeps) =>
  async ({ ack, body, view, context }: SubmitArgs): Promise<void> => {
    const actor = actorOf(context, body);
    const values = view.state.values as ViewStateValues;
    const botId = parseMetadata<{ botId: string }>(view.private_metadata).botId;
    const existing = botId ? await deps.stores.bots.get(actor.teamId, botId) : undefined;
    if (botId && !existing) {
      await ack({ response_action: 'update', view: buildNoticeModal('Bot not found', 'This bot was deleted.') });
      return;
    }
    const form = validateBotForm({
      name: textValue(values, INPUT.name),
      displayName: textValue(values, INPUT.displayName),
      icon: textValue(values, INPUT.icon),
      type: existing?.type ?? (selectedValue(values, INPUT.type) as BotType | undefined),
      description: textValue(values, INPUT.description),
    });
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const { type, ...identity } = form.value;
    try {
      const bot = existing
        ? await deps.stores.bots.update(actor.teamId, existing.id, identity)
        : await deps.stores.bots.create({ ...identity, type, teamId: actor.teamId, createdBy: actor.userId });
      if (!bot) throw new Error('bot vanished while saving');
      await deps.stores.audit.record({
        teamId: actor.teamId,
        actorId: actor.userId,
        action: existing ? 'bot.updated' : 'bot.created',
        target: bot.name,
        details: { type: bot.type, ...(existing && existing.name !== bot.name ? { renamedFrom: existing.name } : {}) },
      });
      const next = !existing && bot.type === 'claude' ? await connectionView(deps.stores, actor, bot.id) : undefined;
      await ack(next ? { response_action: 'update', view: next } : { response_action: 'clear' });
    } catch (error) {
      if (!(error instanceof DuplicateBotNameError)) throw error;
      await ack({
        response_action: 'errors',
        errors: { [INPUT.name]: 'Another bot in this workspace has this name.' },
      });
    }
  };
