import { BotRepository } from '../../models/bots';
import { ProviderKeyRepository } from '../../models/provider-keys';
import { Secrets } from '../../src/crypto/secrets';
import { ACTION, INPUT, VALUE, VIEW } from '../../src/views/ids';
import { CURSOR_KEY, CURSOR_KEY_NO_PLAN, startHarness, type Harness } from '../support/harness';
import { blockActions, selectedOption, textInput, viewPayload, viewSubmission } from '../support/slack-requests';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { viewIdOf } from './bots-helpers';

let h: Harness;
let runtime: WebhookReceiver;
beforeAll(async () => {
  h = await startHarness();
  runtime = await startWebhookReceiver();
});
afterAll(async () => {
  await runtime.close();
  await h.stop();
});
beforeEach(() => h.slack.reset());

const text = (value: unknown) => JSON.stringify(value);
const bots = () => new BotRepository(h.db.db);
const keys = () => new ProviderKeyRepository(h.db.db, new Secrets(Buffer.from(h.config.encryptionKey ?? '', 'base64')));

async function newBot(name: string, type: 'cursor' | 'self_hosted') {
  return bots().create({
    teamId: 'T0001',
    name,
    displayName: name,
    icon: null,
    type,
    description: '',
    createdBy: 'U0001',
  });
}

/** Presses "Agent connection" in the bot modal and returns the pushed modal's id and view. */
async function openConnection(botId: string, showing = '') {
  const before = h.slack.calls.length;
  await h.send.interaction(
    blockActions({ action_id: ACTION.openConnection, value: botId, view: viewPayload({ callback_id: VIEW.bot }) }),
  );
  const pushed = await h.slack.waitFor(
    'views.push',
    (c) => h.slack.calls.indexOf(c) >= before && text(c.args.view).includes(showing),
  );
  return { viewId: viewIdOf(pushed), view: pushed.args.view };
}

describe('Cursor Cloud connection settings', () => {
  const cursorModal = (viewId: string, botId: string, values: Record<string, unknown> = {}) =>
    viewPayload({ id: viewId, callback_id: VIEW.cursorConnection, private_metadata: text({ botId }), values });

  async function addCursorKey(botId: string, viewId: string, label: string, secret: string) {
    await h.send.interaction(
      blockActions({ action_id: ACTION.addKey, value: botId, view: cursorModal(viewId, botId) }),
    );
    const pushed = await h.slack.waitFor('views.push', (c) => text(c.args.view).includes(VIEW.addKey));
    return h.send.interaction(
      viewSubmission({
        callback_id: VIEW.addKey,
        private_metadata: (pushed.args.view as { private_metadata: string }).private_metadata,
        values: {
          [INPUT.keyLabel]: { [VALUE]: textInput(label) },
          [INPUT.keySecret]: { [VALUE]: textInput(secret) },
        },
      }),
    );
  }

  it('locks the settings until a Cursor key validates, then offers its repositories and models and saves them', async () => {
    const bot = await newBot('coder', 'cursor');
    const { viewId, view } = await openConnection(bot.id);
    expect(text(view)).toContain('No saved Cursor keys yet');
    expect(text(view)).toContain(':lock: *Repository');

    const bad = await addCursorKey(bot.id, viewId, 'Team key', 'not a key');
    expect(bad.body).toMatchObject({
      response_action: 'errors',
      errors: { [INPUT.keySecret]: expect.stringContaining('Cursor API key') },
    });
    await addCursorKey(bot.id, viewId, 'Team key', CURSOR_KEY);
    const valid = await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('Connection valid'));
    const shown = text(valid.args.view);
    expect(shown).toContain('acme/api');
    expect(shown).toContain('Account default');
    expect(shown).toContain('GPT-5');
    expect(shown).toContain('Open a pull request when done');
    expect(shown).not.toContain(CURSOR_KEY);
    const [key] = await keys().list('T0001', 'cursor');
    expect(key!.hint).toMatch(/…0001$/);

    const values = (branch: string) => ({
      [INPUT.key]: { [VALUE]: selectedOption(key!.id) },
      [INPUT.repository]: { [VALUE]: selectedOption('https://github.com/acme/web') },
      [INPUT.branch]: { [VALUE]: textInput(branch) },
      [INPUT.model]: { [VALUE]: selectedOption('gpt-5') },
      [INPUT.autoPr]: {
        [VALUE]: {
          type: 'checkboxes',
          selected_options: [{ text: { type: 'plain_text', text: 'PR' }, value: 'auto_pr' }],
        },
      },
      [INPUT.guidance]: { [VALUE]: textInput('Keep PRs small.') },
      [INPUT.toolMode]: { [VALUE]: selectedOption('basic', 'Basic', 'radio_buttons') },
      [INPUT.directApi]: { [VALUE]: { type: 'checkboxes', selected_options: [] } },
    });
    const badBranch = await h.send.interaction(
      viewSubmission({
        callback_id: VIEW.cursorConnection,
        private_metadata: text({ botId: bot.id }),
        values: values('bad branch'),
      }),
    );
    expect(badBranch.body).toMatchObject({ errors: { [INPUT.branch]: 'This is not a valid branch name.' } });
    const saved = await h.send.interaction(
      viewSubmission({
        callback_id: VIEW.cursorConnection,
        private_metadata: text({ botId: bot.id }),
        values: values('develop'),
      }),
    );
    expect(saved.body).toMatchObject({ response_action: 'clear' });
    expect((await bots().get('T0001', bot.id))!.status).toBe('ready');
    const reopened = await openConnection(bot.id, 'Keep PRs small.');
    expect(text(reopened.view)).toContain('"initial_option":{"text":{"type":"plain_text","text":"GPT-5"');
    expect(text(reopened.view)).toContain(
      '"initial_options":[{"text":{"type":"plain_text","text":"Open a pull request when done"',
    );
  });

  it('names the failing step when Cursor refuses the key or its plan', async () => {
    const bot = await newBot('planless', 'cursor');
    const { viewId } = await openConnection(bot.id);
    await addCursorKey(bot.id, viewId, 'No plan', CURSOR_KEY_NO_PLAN);
    const plan = await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('Step 2 of 3'));
    expect(text(plan.args.view)).toContain('plan does not include Cloud Agents');
    expect(text(plan.args.view)).toContain(':lock:');
    await addCursorKey(bot.id, viewId, 'Wrong', 'key_this0key0is0unknown000000000');
    const rejected = await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('Step 1 of 3'));
    expect(text(rejected.args.view)).toContain('Cursor rejected the API key');
  });

  it('refuses to save before the key is validated', async () => {
    const bot = await newBot('unvalidated', 'cursor');
    const key = await keys().create({
      teamId: 'T0001',
      provider: 'cursor',
      label: 'Fresh',
      secret: CURSOR_KEY,
      createdBy: 'U0001',
    });
    const result = await h.send.interaction(
      viewSubmission({
        callback_id: VIEW.cursorConnection,
        private_metadata: text({ botId: bot.id }),
        values: { [INPUT.key]: { [VALUE]: selectedOption(key.id) } },
      }),
    );
    expect(result.body).toMatchObject({
      errors: { [INPUT.key]: 'Validate the connection with this key before saving.' },
    });
  });
});

describe('Self-hosted runtime settings', () => {
  const runtimeValues = (url: string) => ({
    [INPUT.runtimeUrl]: { [VALUE]: textInput(url) },
    [INPUT.guidance]: { [VALUE]: textInput(null) },
    [INPUT.toolMode]: { [VALUE]: selectedOption('basic', 'Basic', 'radio_buttons') },
    [INPUT.directApi]: { [VALUE]: { type: 'checkboxes', selected_options: [] } },
  });
  const submit = (botId: string, url: string) =>
    h.send.interaction(
      viewSubmission({
        callback_id: VIEW.runtimeConnection,
        private_metadata: text({ botId }),
        values: runtimeValues(url),
      }),
    );
  const secretIn = (view: unknown) => /whsec_[A-Za-z0-9+/=]+/.exec(text(view))?.[0];

  it('takes https or loopback http, shows the signing secret once, and answers Send test event inline', async () => {
    const bot = await newBot('runner', 'self_hosted');
    await openConnection(bot.id);
    const plain = await submit(bot.id, 'http://runtime.example.com/hook');
    expect(plain.body).toMatchObject({ errors: { [INPUT.runtimeUrl]: expect.stringContaining('only for localhost') } });
    const saved = await submit(bot.id, runtime.url);
    const shown = (saved.body as { view: unknown }).view;
    const secret = secretIn(shown);
    expect(secret).toBeDefined();
    expect(text(shown)).toContain('shown only now');
    expect((await bots().get('T0001', bot.id))!.status).toBe('ready');
    const reopened = await openConnection(bot.id);
    expect(secretIn(reopened.view)).toBeUndefined();
    expect(text(reopened.view)).toContain(`whsec_…${secret!.slice(-4)}`);

    runtime.secrets = [secret!];
    const modal = viewPayload({
      id: reopened.viewId,
      callback_id: VIEW.runtimeConnection,
      private_metadata: text({ botId: bot.id }),
    });
    await h.send.interaction(blockActions({ action_id: ACTION.sendTestEvent, value: bot.id, view: modal }));
    await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('Sending a test event'));
    const answered = await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('the runtime answered'));
    expect(text(answered.args.view)).toContain('*200*');
    expect(text(answered.args.view)).toContain('baton.test');
    const delivery = await runtime.waitFor((w) => w.type === 'baton.test');
    expect(delivery.verifiedBy).toEqual([secret]);
    expect(delivery.body).not.toContain('whsec_');
  });

  it('shows a refused test event and, after Rotate, signs with both secrets', async () => {
    const bot = await newBot('rotator', 'self_hosted');
    const saved = await submit(bot.id, runtime.url);
    const first = secretIn((saved.body as { view: unknown }).view)!;
    const { viewId } = await openConnection(bot.id);
    const modal = viewPayload({
      id: viewId,
      callback_id: VIEW.runtimeConnection,
      private_metadata: text({ botId: bot.id }),
    });
    runtime.respondWith(503);
    await h.send.interaction(blockActions({ action_id: ACTION.sendTestEvent, value: bot.id, view: modal }));
    const refused = await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('the runtime answered'));
    expect(text(refused.args.view)).toContain(':x: Test event: the runtime answered *503*');

    await h.send.interaction(blockActions({ action_id: ACTION.rotateSecret, value: bot.id, view: modal }));
    const rotated = await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('previous secret also'));
    const second = secretIn(rotated.args.view)!;
    expect(second).not.toBe(first);
    expect(text(rotated.args.view)).toContain('The previous secret also signs until');
    runtime.secrets = [first, second];
    await h.send.interaction(blockActions({ action_id: ACTION.sendTestEvent, value: bot.id, view: modal }));
    const delivery = await runtime.waitFor((w) => w.headers['webhook-signature']!.includes(' '));
    expect(delivery.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(delivery.verifiedBy.sort()).toEqual([first, second].sort());
  });
});
