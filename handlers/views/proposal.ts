import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { createJob } from '../../jobs/definitions';
import type { ConnectionChanges } from '../../models/claude-connections';
import { INPUT } from '../../src/views/ids';
import { PROPOSAL_FIELDS, type ProposalField } from '../../src/views/proposal-modal';
import { selectedValues, type ViewStateValues } from '../../src/views/state';
import { actorOf, parseMetadata } from '../context';
import type { HandlerDeps } from '../deps';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const asRichText = (text: string) => ({
  type: 'rich_text' as const,
  elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
});

/** Applies the proposal fields the admin ticked, and nothing else; a managed agent is synced again. */
export const onProposalSubmit =
  (deps: HandlerDeps) =>
  async ({ ack, body, view, context }: SubmitArgs): Promise<void> => {
    const actor = actorOf(context, body);
    const chosen = selectedValues(view.state.values as ViewStateValues, INPUT.apply).filter(
      (field): field is ProposalField => (PROPOSAL_FIELDS as readonly string[]).includes(field),
    );
    const proposalId = parseMetadata<{ proposalId: string }>(view.private_metadata).proposalId ?? '';
    const stored = chosen.length > 0 ? await deps.proposals.take(proposalId) : undefined;
    const bot = stored ? await deps.stores.bots.get(actor.teamId, stored.botId) : undefined;
    if (!stored || !bot) {
      await ack({ response_action: 'clear' });
      return;
    }
    const { proposal } = stored;
    const changes: ConnectionChanges = {};
    if (chosen.includes('instructions') && proposal.instructions)
      changes.instructions = asRichText(proposal.instructions.value);
    if (chosen.includes('model') && proposal.model) changes.model = proposal.model.value;
    if (chosen.includes('guidance') && proposal.guidance) changes.guidance = proposal.guidance.value;
    if (Object.keys(changes).length > 0) await deps.stores.connections.save(bot.id, changes);
    if (chosen.includes('toolMode') && proposal.toolMode) {
      await deps.stores.bots.setToolAccess(bot.id, {
        toolMode: proposal.toolMode.value,
        allowDirectApi: bot.allowDirectApi,
      });
    }
    const connection = await deps.stores.connections.get(bot.id);
    const resync =
      connection?.mode === 'managed' && (changes.instructions !== undefined || changes.model !== undefined);
    if (resync) await deps.stores.bots.setStatus(bot.id, 'syncing');
    await ack({ response_action: 'clear' });
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'bot.proposal_applied',
      target: bot.name,
      details: { fields: chosen },
    });
    if (resync)
      await deps.queue.enqueue(createJob('sync-bot', { ...actor, botId: bot.id, actorId: actor.userId }, bot.id));
  };
