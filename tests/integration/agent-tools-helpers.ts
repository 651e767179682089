import { ACTION, INPUT, VALUE, VIEW } from '../../src/views/ids';
import type { SlackCall } from '../fakes/slack-api';
import type { Harness } from '../support/harness';
import { blockActions, selectedOption, textInput, viewPayload, viewSubmission } from '../support/slack-requests';
import { botsQuery, viewIdOf } from './bots-helpers';

export const json = (value: unknown) => JSON.stringify(value);
export const modalText = (call: SlackCall) => json(call.args.view);

/** Opens the bot's Agent connection modal for real (so the fake Slack knows its view id) and returns that view. */
export async function openConnection(h: Harness, botId: string, values: Record<string, unknown> = {}) {
  await h.send.interaction(
    blockActions({ action_id: ACTION.openConnection, value: botId, view: viewPayload({ callback_id: VIEW.bot }) }),
  );
  const id = viewIdOf(await h.slack.waitFor('views.push', (c) => modalText(c).includes(VIEW.connection)));
  return viewPayload({ id, callback_id: VIEW.connection, private_metadata: json({ botId }), values });
}

/** Presses Validate connection, which also lists Anthropic's built-in skills for the key. */
export async function validateKey(h: Harness, botId: string, keyId: string): Promise<void> {
  const view = await openConnection(h, botId, { [INPUT.key]: { [VALUE]: selectedOption(keyId) } });
  await h.send.interaction(blockActions({ action_id: ACTION.validateKey, value: keyId, view }));
  await h.slack.waitFor('views.update', (c) => modalText(c).includes('Connection valid'));
}

/** Submits the managed Agent connection with the given skill choices, then waits for the sync. */
export async function saveManaged(h: Harness, botId: string, keyId: string, skills: string[]) {
  const response = await h.send.interaction(
    viewSubmission({
      callback_id: VIEW.connection,
      private_metadata: json({ botId }),
      values: {
        [INPUT.key]: { [VALUE]: selectedOption(keyId) },
        [INPUT.mode]: { [VALUE]: selectedOption('managed', 'Manage', 'radio_buttons') },
        [INPUT.model]: { [VALUE]: selectedOption('claude-sonnet-4-6') },
        [INPUT.guidance]: { [VALUE]: textInput(null) },
        [INPUT.skills]: {
          [VALUE]: { type: 'multi_static_select', selected_options: skills.map((value) => ({ value })) },
        },
        [INPUT.toolMode]: { [VALUE]: selectedOption('basic', 'Basic', 'radio_buttons') },
        [INPUT.directApi]: { [VALUE]: { type: 'checkboxes', selected_options: [] } },
      },
    }),
  );
  await botsQuery(h).waitForStatus(botId, 'ready');
  return response;
}

/** A Claude bot with a validated key of its own label. */
export async function managedBot(h: Harness, name: string, secret: string) {
  const q = botsQuery(h);
  const bot = await q.createClaudeBot(name);
  const [keyId] = await q.addKeys([[`${name}-key`, secret]]);
  await validateKey(h, bot.id, keyId!);
  return { bot, keyId: keyId! };
}
