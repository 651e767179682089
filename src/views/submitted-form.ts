import type { Block, KnownBlock, ModalView, PlainTextElement } from '@slack/types';
import { context, escapeMrkdwn } from './blocks';

/** The parts of a submitted modal (as Slack sends it back) needed to show the same form again. */
export interface SubmittedForm {
  callback_id: string;
  private_metadata: string;
  title: PlainTextElement;
  submit: PlainTextElement | null;
  close: PlainTextElement | null;
  blocks: (KnownBlock | Block)[];
}

const NOTE_BLOCK_ID = 'baton_form_note';

const labelOf = (block: KnownBlock | Block): string | undefined =>
  block.type === 'input' && 'label' in block ? (block as { label: PlainTextElement }).label.text : undefined;

/**
 * The same form with a note on top. Slack keeps what the person typed when the input blocks keep their block and
 * action ids, so the form can be shown again (while checking, or with problems to fix) without losing anything.
 */
export function buildFormWithNote(form: SubmittedForm, note: string): ModalView {
  const blocks = form.blocks.filter((block) => block.block_id !== NOTE_BLOCK_ID);
  return {
    type: 'modal',
    callback_id: form.callback_id,
    private_metadata: form.private_metadata,
    title: form.title,
    ...(form.submit ? { submit: form.submit } : {}),
    ...(form.close ? { close: form.close } : {}),
    blocks: [{ ...context(note), block_id: NOTE_BLOCK_ID }, ...blocks] as KnownBlock[],
  };
}

/** Field errors that can no longer go inline (the submit was already answered), as one note naming each field. */
export function formErrorsNote(form: SubmittedForm, errors: Record<string, string>): string {
  const lines = Object.entries(errors).map(([blockId, message]) => {
    const label = labelOf(form.blocks.find((block) => block.block_id === blockId) ?? { type: 'section' });
    return label ? `*${escapeMrkdwn(label)}*: ${message}` : message;
  });
  return `:warning: Nothing was saved. Fix this and save again:\n${lines.join('\n')}`;
}
