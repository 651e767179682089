import type { ModalView } from '@slack/types';
import type { SettingsProposal } from '../ports/claude';
import { clip, context, escapeMrkdwn, section, type Blocks } from './blocks';
import { modal, plainText } from './elements';
import { INPUT, VALUE, VIEW } from './ids';

export const PROPOSAL_FIELDS = ['instructions', 'model', 'toolMode', 'guidance'] as const;
export type ProposalField = (typeof PROPOSAL_FIELDS)[number];

const LABEL: Record<ProposalField, string> = {
  instructions: 'Agent instructions',
  model: 'Model',
  toolMode: 'Tool mode',
  guidance: 'Custom guidance',
};

export interface ProposalModalInput {
  botName: string;
  current: Record<ProposalField, string>;
  proposal: SettingsProposal;
  proposalId: string;
}

const quote = (text: string) =>
  text
    ? clip(escapeMrkdwn(text), 1200)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n')
    : '> _(empty)_';

/** The assistant's proposal as a diff; the admin ticks what to apply. Nothing changes without that click. */
export function buildProposalModal({ botName, current, proposal, proposalId }: ProposalModalInput): ModalView {
  const fields = PROPOSAL_FIELDS.filter((field) => proposal[field]);
  if (fields.length === 0) {
    return modal(VIEW.proposal, 'Ask agent', [section('The assistant suggests no changes for this request.')], {
      close: 'Close',
    });
  }
  const blocks: Blocks = [section(`Suggested changes for *${escapeMrkdwn(botName)}*. Tick the ones to apply.`)];
  for (const field of fields) {
    const change = proposal[field];
    if (!change) continue;
    blocks.push(
      section(`*${LABEL[field]}*\n_Now:_\n${quote(current[field])}\n_Proposed:_\n${quote(String(change.value))}`),
      context(`Why: ${clip(escapeMrkdwn(change.reason), 500)}`),
    );
  }
  const option = (field: ProposalField) => ({ text: plainText(LABEL[field]), value: field });
  blocks.push({
    type: 'input',
    block_id: INPUT.apply,
    label: plainText('Apply'),
    optional: true,
    element: { type: 'checkboxes', action_id: VALUE, options: fields.map(option), initial_options: fields.map(option) },
  });
  return modal(VIEW.proposal, 'Ask agent', blocks, {
    submit: 'Apply selected',
    close: 'Apply none',
    privateMetadata: JSON.stringify({ proposalId }),
  });
}
