import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { createJob } from '../../jobs/definitions';
import { DuplicateKeyLabelError } from '../../models/provider-keys';
import { connectionView } from '../../src/bots/catalog';
import type { Provider } from '../../src/domain/provider-keys';
import { KEY_LABEL_MAX, type AddKeyMetadata } from '../../src/views/add-key-modal';
import { INPUT } from '../../src/views/ids';
import { textValue, type ViewStateValues } from '../../src/views/state';
import { actorOf, parseMetadata } from '../context';
import type { HandlerDeps } from '../deps';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const ANTHROPIC_KEY = /^sk-ant-[A-Za-z0-9_-]{16,}$/;
// Cursor does not document a key format; reject only what cannot be a key (spaces, too short).
const CURSOR_KEY = /^[A-Za-z0-9_-]{20,}$/;

function checkKey(label: string, secret: string, provider: Provider): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!label) errors[INPUT.keyLabel] = 'Give the key a label.';
  else if (Array.from(label).length > KEY_LABEL_MAX)
    errors[INPUT.keyLabel] = `Use at most ${KEY_LABEL_MAX} characters.`;
  if (!secret) errors[INPUT.keySecret] = 'Paste the API key.';
  else if (provider === 'cursor') {
    if (!CURSOR_KEY.test(secret))
      errors[INPUT.keySecret] =
        'This does not look like a Cursor API key: paste the whole key from the Cursor dashboard, without spaces.';
  } else if (!ANTHROPIC_KEY.test(secret)) {
    errors[INPUT.keySecret] =
      'This does not look like an Anthropic API key: they start with sk-ant- and have no spaces.';
  }
  return errors;
}

/**
 * Saves a new workspace key (encrypted), closes this modal, and returns to the Agent connection modal with the
 * key chosen and its validation already running.
 */
export const onAddKeySubmit =
  (deps: HandlerDeps) =>
  async ({ ack, body, view, client, context }: SubmitArgs): Promise<void> => {
    const actor = actorOf(context, body);
    const values = view.state.values as ViewStateValues;
    const label = textValue(values, INPUT.keyLabel).trim();
    const secret = textValue(values, INPUT.keySecret).trim();
    const parent = parseMetadata<AddKeyMetadata>(view.private_metadata);
    const provider = parent.provider ?? 'anthropic';
    const errors = checkKey(label, secret, provider);
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    let keyId: string;
    try {
      const key = await deps.stores.keys.create({
        teamId: actor.teamId,
        provider,
        label,
        secret,
        createdBy: actor.userId,
      });
      keyId = key.id;
    } catch (error) {
      if (!(error instanceof DuplicateKeyLabelError)) throw error;
      await ack({ response_action: 'errors', errors: { [INPUT.keyLabel]: 'A saved key already has this label.' } });
      return;
    }
    await ack();
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'key.added',
      target: label,
      details: { keyId },
    });
    if (!parent.botId || !parent.parentViewId) return;
    const mode = parent.mode ?? 'managed';
    const connection = { viewId: parent.parentViewId, botId: parent.botId, mode };
    // Show "Validating…" before the job can finish and draw its result.
    const updated = await connectionView(deps.stores, actor, parent.botId, {
      selectedKeyId: keyId,
      mode,
      busy: 'validating',
    });
    if (updated) await client.views.update({ view_id: parent.parentViewId, view: updated });
    await deps.queue.enqueue(createJob('validate-key', { ...actor, keyId, view: connection }, keyId));
  };
