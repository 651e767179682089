import type { Button, ConfirmationDialog, InputBlock, ModalView, PlainTextElement } from '@slack/types';
import { clip, type Blocks } from './blocks';
import { VALUE } from './ids';

export const plainText = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });

export function button(
  text: string,
  actionId: string,
  value?: string,
  options: { style?: 'primary' | 'danger'; confirm?: ConfirmationDialog } = {},
): Button {
  return {
    type: 'button',
    text: plainText(clip(text, 75)),
    action_id: actionId,
    ...(value !== undefined ? { value } : {}),
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
}

export interface PlainInputOptions {
  initial?: string | undefined;
  optional?: boolean;
  multiline?: boolean;
  maxLength?: number;
  placeholder?: string;
  hint?: string;
}

export function plainInput(blockId: string, label: string, options: PlainInputOptions = {}): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label),
    optional: options.optional ?? false,
    ...(options.hint ? { hint: plainText(options.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: VALUE,
      multiline: options.multiline ?? false,
      ...(options.maxLength ? { max_length: options.maxLength } : {}),
      ...(options.initial ? { initial_value: options.initial } : {}),
      ...(options.placeholder ? { placeholder: plainText(clip(options.placeholder, 150)) } : {}),
    },
  };
}

export function modal(
  callbackId: string,
  title: string,
  blocks: Blocks,
  options: { submit?: string; close?: string; privateMetadata?: string } = {},
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plainText(clip(title, 24)),
    close: plainText(options.close ?? 'Cancel'),
    ...(options.submit ? { submit: plainText(options.submit) } : {}),
    private_metadata: options.privateMetadata ?? '',
    blocks,
  };
}
