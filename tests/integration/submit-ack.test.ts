import type { SlackCall } from '../fakes/slack-api';
import { ACTION, INPUT, VALUE, VIEW } from '../../src/views/ids';
import { startHarness, type Harness } from '../support/harness';
import { blockActions, selectedOption, textInput, viewSubmission, type SlackResponse } from '../support/slack-requests';
import { botsQuery } from './bots-helpers';

// Slack drops a modal submit that is not acked within 3 seconds and tells the person the app did not respond.
const SLACK_ACK_MS = 3_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { users: [{ id: 'U0003', name: 'carol', real_name: 'Carol Admin', is_admin: true }] });
});
afterAll(() => h.stop());
beforeEach(() => h.slack.reset());

interface OpenedView {
  id: string;
  blocks: Array<{ block_id?: string; type: string }>;
  title: unknown;
  submit: unknown;
  close: unknown;
}

/** Opens "New bot" for real (the role check there may ask Slack: opening is not a submit) and returns the view. */
async function openNewBot(): Promise<OpenedView> {
  await h.send.interaction(blockActions({ action_id: ACTION.newBot }));
  const opened = await h.slack.waitFor('views.open');
  return (opened.response as { view: OpenedView }).view;
}

/** The submit Slack sends for that view: its blocks and title come back with what was typed. */
function submitBot(view: OpenedView, user: string, name: string, type = 'claude') {
  const payload = viewSubmission({
    callback_id: VIEW.bot,
    view_id: view.id,
    user,
    values: {
      [INPUT.name]: { [VALUE]: textInput(name) },
      [INPUT.displayName]: { [VALUE]: textInput(name) },
      [INPUT.icon]: { [VALUE]: textInput(null) },
      [INPUT.type]: { [VALUE]: selectedOption(type, type, 'radio_buttons') },
      [INPUT.description]: { [VALUE]: textInput(null) },
    },
  });
  return h.send.interaction({
    ...payload,
    view: { ...payload.view, blocks: view.blocks, title: view.title, submit: view.submit, close: view.close },
  });
}

/** The answer, or a failure once Slack would have given up on it. */
async function withinSlackAck(response: Promise<SlackResponse>): Promise<SlackResponse> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ack within ${SLACK_ACK_MS} ms`)), SLACK_ACK_MS);
  });
  try {
    return await Promise.race([response, late]);
  } finally {
    clearTimeout(timer);
  }
}

const text = (value: unknown) => JSON.stringify(value);
const updateOf = (viewId: string) => (c: SlackCall) => c.args.view_id === viewId;

describe('modal submits while Slack is slow to say who is an admin', () => {
  it('acks an admin at once, checks with Slack after the ack, then saves and shows the next step', async () => {
    const view = await openNewBot();
    // A deploy (or another web process) between opening the modal and saving it: no role is cached.
    await h.restart();
    const slow = h.slack.delayNext('users.info', (a) => a.user === 'U0001');

    const ack = await withinSlackAck(submitBot(view, 'U0001', 'slowpoke'));
    await slow.arrived;
    expect(ack.body).toMatchObject({ response_action: 'update', view: { callback_id: VIEW.bot } });
    expect(text(ack.body)).toContain('Checking with Slack');
    // The same input blocks, so Slack keeps what was typed while the check runs.
    const inputIds = (b: { blocks: Array<{ block_id?: string; type: string }> }) =>
      b.blocks.filter((block) => block.type === 'input').map((block) => block.block_id);
    expect(inputIds((ack.body as { view: OpenedView }).view)).toEqual(inputIds(view));
    expect(await botsQuery(h).findByName('T0001', 'slowpoke')).toBeUndefined();

    slow.release();
    const next = await h.slack.waitFor('views.update', updateOf(view.id));
    expect(next.ok).toBe(true);
    expect(next.args.view).toMatchObject({ callback_id: VIEW.connection });
    expect(await botsQuery(h).findByName('T0001', 'slowpoke')).toMatchObject({ type: 'claude' });

    // Now the role is known: the next submit is answered in the ack itself, without asking Slack.
    const asked = h.slack.callsTo('users.info').length;
    const again = await withinSlackAck(submitBot(view, 'U0001', 'quick', 'cursor'));
    expect(again.body).toMatchObject({ response_action: 'clear' });
    expect(h.slack.callsTo('users.info')).toHaveLength(asked);
  });

  it('refuses a non-admin after the ack, saving nothing, with who to ask', async () => {
    const view = await openNewBot();
    const slow = h.slack.delayNext('users.info', (a) => a.user === 'U0002');
    const ack = await withinSlackAck(submitBot(view, 'U0002', 'sneaky'));
    expect(text(ack.body)).toContain('Checking with Slack');
    await slow.arrived;
    slow.release();
    const refusal = await h.slack.waitFor('views.update', updateOf(view.id));
    expect(text(refusal.args.view)).toContain('Only Baton admins can change bots');
    expect(await botsQuery(h).findByName('T0001', 'sneaky')).toBeUndefined();
  });

  it('shows problems found after the ack on the same form, by field name', async () => {
    const view = await openNewBot();
    const slow = h.slack.delayNext('users.info', (a) => a.user === 'U0003');
    await withinSlackAck(submitBot(view, 'U0003', 'slowpoke', 'cursor'));
    await slow.arrived;
    slow.release();
    const problems = await h.slack.waitFor('views.update', updateOf(view.id));
    expect(problems.ok).toBe(true);
    expect(problems.args.view).toMatchObject({ callback_id: VIEW.bot });
    expect(text(problems.args.view)).toContain('*Name*: Another bot in this workspace has this name.');
  });

  it('keeps the form, saves nothing and says so when Slack fails the check', async () => {
    const view = await openNewBot();
    await h.restart();
    // A 429 is waited out and tried again (slow, as above); an error answer ends the check.
    h.slack.failNext('users.info', { status: 500 });
    const ack = await withinSlackAck(submitBot(view, 'U0001', 'limited'));
    expect(text(ack.body)).toContain('Checking with Slack');
    const note = await h.slack.waitFor('views.update', updateOf(view.id));
    expect(note.args.view).toMatchObject({ callback_id: VIEW.bot });
    expect(text(note.args.view)).toContain('nothing was saved. Save again in a moment');
    expect(await botsQuery(h).findByName('T0001', 'limited')).toBeUndefined();
  });
});
