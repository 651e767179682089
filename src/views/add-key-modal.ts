import type { ModalView } from '@slack/types';
import type { ConnectionMode } from '../domain/claude';
import type { Provider } from '../domain/provider-keys';
import { context } from './blocks';
import { modal, plainInput } from './elements';
import { INPUT, VIEW } from './ids';

export interface AddKeyMetadata {
  botId: string;
  parentViewId: string;
  mode: ConnectionMode;
  /** Which kind of key this is; Anthropic when absent. */
  provider?: Provider;
}

const KEY_TEXT: Record<Provider, { label: string; placeholder: string; hint: string; usedBy: string }> = {
  anthropic: {
    label: 'Anthropic API key',
    placeholder: 'sk-ant-…',
    hint: 'From the Anthropic Console › API keys. Stored encrypted and only ever shown masked.',
    usedBy: 'Every Claude bot in this workspace can use saved keys.',
  },
  cursor: {
    label: 'Cursor API key',
    placeholder: 'key_…',
    hint: 'From the Cursor dashboard › Integrations › API keys. Stored encrypted and only ever shown masked.',
    usedBy: 'Every Cursor Cloud bot in this workspace can use saved Cursor keys.',
  },
};

export const KEY_LABEL_MAX = 50;

/** Pushed over the Agent connection modal; the metadata says which modal to return to (never the key). */
export function buildAddKeyModal(metadata: AddKeyMetadata): ModalView {
  const text = KEY_TEXT[metadata.provider ?? 'anthropic'];
  return modal(
    VIEW.addKey,
    'Add API key',
    [
      plainInput(INPUT.keyLabel, 'Label', {
        maxLength: KEY_LABEL_MAX,
        placeholder: 'Production',
        hint: 'How the key appears in dropdowns. Unique in this workspace.',
      }),
      plainInput(INPUT.keySecret, text.label, { placeholder: text.placeholder, hint: text.hint }),
      context(text.usedBy),
    ],
    { submit: 'Save key', privateMetadata: JSON.stringify(metadata) },
  );
}
