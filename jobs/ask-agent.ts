import { UnrecoverableError } from 'bullmq';
import { richTextToPlain } from '../src/domain/rich-text';
import { ClaudeApiError } from '../src/ports/claude';
import { escapeMrkdwn } from '../src/views/blocks';
import { buildNoticeModal } from '../src/views/notice-modal';
import { buildProposalModal } from '../src/views/proposal-modal';
import { askAgent } from './definitions';
import type { ProcessorDeps } from './deps';

/** "Ask agent": Baton's assistant proposes settings for the bot; the admin reviews them as a diff. */
export async function runAskAgent(data: unknown, deps: ProcessorDeps): Promise<void> {
  const job = askAgent.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid ask-agent payload');
  const { teamId, botId, viewId, ask } = job.data;
  const { bots, connections, keys } = deps.stores;
  const client = await deps.slack.forTeam(job.data);
  const show = (view: Parameters<typeof client.views.update>[0]['view']) =>
    client.views.update({ view_id: viewId, view });

  const bot = await bots.get(teamId, botId);
  const connection = await connections.get(botId);
  const key = connection?.keyId ? await keys.get(teamId, connection.keyId) : undefined;
  const secret = key ? await keys.reveal(teamId, key.id) : undefined;
  if (!bot || !key || secret === undefined) {
    await show(buildNoticeModal('Ask agent', 'Choose and validate an API key in *Agent connection* first.'));
    return;
  }
  const current = {
    instructions: richTextToPlain(connection?.instructions),
    model: connection?.model ?? '',
    toolMode: bot.toolMode,
    guidance: connection?.guidance ?? '',
  };
  try {
    const proposal = await deps.claude.proposeSettings(secret, {
      botName: bot.name,
      current: { ...current, model: current.model || null },
      models: key.models,
      ask,
    });
    const proposalId = await deps.proposals.save(botId, proposal);
    await show(buildProposalModal({ botName: bot.name, current, proposal, proposalId }));
  } catch (error) {
    if (!(error instanceof ClaudeApiError)) throw error;
    await show(buildNoticeModal('Ask agent', `The assistant could not answer: ${escapeMrkdwn(error.message)}`));
  }
}
