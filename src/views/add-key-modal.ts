import type { ModalView } from '@slack/types';
import type { ConnectionMode } from '../domain/claude';
import { context } from './blocks';
import { modal, plainInput } from './elements';
import { INPUT, VIEW } from './ids';

export interface AddKeyMetadata {
  botId: string;
  parentViewId: string;
  mode: ConnectionMode;
}

export const KEY_LABEL_MAX = 50;

/** Pushed over the Agent connection modal; the metadata says which modal to return to (never the key). */
export const buildAddKeyModal = (metadata: AddKeyMetadata): ModalView =>
  modal(
    VIEW.addKey,
    'Add API key',
    [
      plainInput(INPUT.keyLabel, 'Label', {
        maxLength: KEY_LABEL_MAX,
        placeholder: 'Production',
        hint: 'How the key appears in dropdowns. Unique in this workspace.',
      }),
      plainInput(INPUT.keySecret, 'Anthropic API key', {
        placeholder: 'sk-ant-…',
        hint: 'From the Anthropic Console › API keys. Stored encrypted and only ever shown masked.',
      }),
      context('Every Claude bot in this workspace can use saved keys.'),
    ],
    { submit: 'Save key', privateMetadata: JSON.stringify(metadata) },
  );
