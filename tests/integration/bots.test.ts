import type { SlackCall } from '../fakes/slack-api';
import { ACTION, INPUT, VALUE, VIEW } from '../../src/views/ids';
import { ANTHROPIC_KEY, ANTHROPIC_KEY_NO_ACCESS, startHarness, type Harness } from '../support/harness';
import {
  blockActions,
  selectedOption,
  slashCommand,
  textInput,
  viewPayload,
  viewSubmission,
} from '../support/slack-requests';
import { botsQuery, submitNewBot, viewIdOf } from './bots-helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.slack.reset());

const text = (value: unknown) => JSON.stringify(value);
const modalText = (call: SlackCall) => text(call.args.view);

describe('configuring bots from Slack', () => {
  it('lists bots for everyone but lets only admins create them', async () => {
    await h.send.command(slashCommand({ text: 'bots', user_id: 'U0002' }));
    const forMember = await h.slack.waitFor('response_url');
    expect(text(forMember.args)).toContain('Only Baton admins can create or change bots');
    expect(text(forMember.args)).not.toContain(ACTION.newBot);

    await h.send.interaction(blockActions({ action_id: ACTION.newBot, user: 'U0002' }));
    const refusal = await h.slack.waitFor('views.open');
    expect(modalText(refusal)).toContain('Ask an admin');

    const forged = await h.send.interaction(
      viewSubmission({
        callback_id: VIEW.bot,
        user: 'U0002',
        values: { [INPUT.name]: { [VALUE]: textInput('sneaky') } },
      }),
    );
    expect(text(forged.body)).toContain('Only Baton admins');
    expect(await botsQuery(h).list('T0001')).toEqual([]);
  });

  it('tells the person something went wrong, with a reference, when a handler fails', async () => {
    h.slack.failNext('views.open', { error: 'internal_error' });
    await h.send.interaction(blockActions({ action_id: ACTION.newBot }));
    const note = await h.slack.waitFor('response_url');
    expect(String(note.args.text)).toMatch(/^Something went wrong \(ref `[0-9a-f]{12}`\)/);
    expect(String(note.args.text)).not.toContain('internal_error');
  });

  it('opens the New bot modal for an admin and checks names inline', async () => {
    await h.send.command(slashCommand({ text: 'bots' }));
    expect(text((await h.slack.waitFor('response_url')).args)).toContain(ACTION.newBot);
    await h.send.interaction(blockActions({ action_id: ACTION.newBot }));
    const opened = await h.slack.waitFor('views.open');
    expect(opened.ok).toBe(true);
    expect(modalText(opened)).toContain('"Name"');

    const empty = await submitNewBot(h, { name: '', displayName: '' });
    expect(empty.body).toMatchObject({
      response_action: 'errors',
      errors: { name: expect.any(String), display_name: expect.any(String) },
    });
    const long = await submitNewBot(h, { name: 'x'.repeat(33) });
    expect(long.body).toMatchObject({ errors: { name: 'Use at most 32 characters.' } });
    const spaced = await submitNewBot(h, { name: 'two words' });
    expect(text(spaced.body)).toContain('no spaces');
    const icon = await submitNewBot(h, { name: 'ok', icon: 'robot' });
    expect(text(icon.body)).toContain('emoji code');

    await submitNewBot(h, { name: 'Dup', type: 'cursor' });
    const duplicate = await submitNewBot(h, { name: 'dup' });
    expect(duplicate.body).toMatchObject({ errors: { name: 'Another bot in this workspace has this name.' } });
    const cursorBot = await botsQuery(h).findByName('T0001', 'dup');
    expect(cursorBot).toMatchObject({ type: 'cursor', status: 'not_configured' });
  });

  it('creates a Claude bot, saves a masked key, validates it and syncs one agent, environment and vault', async () => {
    const created = await submitNewBot(h, { name: 'reviewer', displayName: 'Code Reviewer', icon: ':eyes:' });
    expect(created.body).toMatchObject({ response_action: 'update', view: { callback_id: VIEW.connection } });
    expect(text(created.body)).toContain('are locked');
    const bot = (await botsQuery(h).findByName('T0001', 'reviewer'))!;

    // The connection modal is on screen: open it for real so the fake knows its view id.
    await h.send.interaction(
      blockActions({ action_id: ACTION.openConnection, value: bot.id, view: viewPayload({ callback_id: VIEW.bot }) }),
    );
    const connectionViewId = viewIdOf(await h.slack.waitFor('views.push'));
    const connectionView = viewPayload({
      id: connectionViewId,
      callback_id: VIEW.connection,
      private_metadata: text({ botId: bot.id }),
    });

    await h.send.interaction(blockActions({ action_id: ACTION.addKey, value: bot.id, view: connectionView }));
    const addKeyView = (await h.slack.waitFor('views.push', (c) => modalText(c).includes(VIEW.addKey))).args.view as {
      private_metadata: string;
    };
    expect(addKeyView.private_metadata).not.toContain('sk-ant');

    const addKey = (label: string, secret: string) =>
      h.send.interaction(
        viewSubmission({
          callback_id: VIEW.addKey,
          private_metadata: addKeyView.private_metadata,
          values: {
            [INPUT.keyLabel]: { [VALUE]: textInput(label) },
            [INPUT.keySecret]: { [VALUE]: textInput(secret) },
          },
        }),
      );
    expect(text((await addKey('Prod', 'not a key')).body)).toContain('does not look like an Anthropic API key');
    expect((await addKey('Prod', ANTHROPIC_KEY)).status).toBe(200);
    expect((await addKey('prod', ANTHROPIC_KEY)).body).toMatchObject({
      errors: { key_label: 'A saved key already has this label.' },
    });

    const unlocked = await h.slack.waitFor('views.update', (c) => modalText(c).includes('Connection valid'));
    expect(unlocked.args.view_id).toBe(connectionViewId);
    expect(modalText(unlocked)).toContain('Prod (sk-ant-…a1B2)');
    expect(modalText(unlocked)).not.toContain(ANTHROPIC_KEY);
    expect(modalText(unlocked)).toContain('claude-sonnet');

    const [key] = await botsQuery(h).keys('T0001');
    const save = () =>
      h.send.interaction(
        viewSubmission({
          callback_id: VIEW.connection,
          private_metadata: text({ botId: bot.id }),
          values: {
            [INPUT.key]: { [VALUE]: selectedOption(key!.id) },
            [INPUT.mode]: { [VALUE]: selectedOption('managed', 'Manage', 'radio_buttons') },
            [INPUT.model]: { [VALUE]: selectedOption('claude-sonnet-4-6') },
            [INPUT.guidance]: { [VALUE]: textInput('Be brief') },
            [INPUT.toolMode]: { [VALUE]: selectedOption('full', 'Full', 'radio_buttons') },
            [INPUT.directApi]: { [VALUE]: { type: 'checkboxes', selected_options: [] } },
          },
        }),
      );
    expect((await save()).body).toMatchObject({ response_action: 'clear' });
    await expect(botsQuery(h).waitForStatus(bot.id, 'ready')).resolves.toBeUndefined();
    expect([h.anthropic.agents.size, h.anthropic.environments.size, h.anthropic.vaults.size]).toEqual([1, 1, 1]);

    await save();
    await botsQuery(h).waitForStatus(bot.id, 'ready');
    expect([h.anthropic.agents.size, h.anthropic.environments.size, h.anthropic.vaults.size]).toEqual([1, 1, 1]);

    const agentId = (await botsQuery(h).connection(bot.id))!.agentId!;
    h.anthropic.removeRemotely(agentId);
    await save();
    await botsQuery(h).waitForStatus(bot.id, 'ready');
    expect((await botsQuery(h).connection(bot.id))!.agentId).not.toBe(agentId);
    expect(await botsQuery(h).get(bot.id)).toMatchObject({ toolMode: 'full', allowDirectApi: false });

    await h.send.command(slashCommand({ text: 'audit' }));
    const audit = text((await h.slack.waitFor('response_url', (c) => text(c.args).includes('Recent changes'))).args);
    expect(audit).toContain('bot.created');
    expect(audit).toContain('key.added');
    expect(audit).toContain('bot.synced');
    expect(audit).not.toContain(ANTHROPIC_KEY);
  });

  it('says which validation step failed: rejected key (401) or no Managed Agents access (403)', async () => {
    const bot = await botsQuery(h).createClaudeBot('validator');
    const keys = await botsQuery(h).addKeys([
      ['Wrong', 'sk-ant-api03-unknown0key000000000000zZ9'],
      ['NoAccess', ANTHROPIC_KEY_NO_ACCESS],
    ]);
    for (const [keyId, expected] of [
      [keys[0]!, '(401)'],
      [keys[1]!, '(403)'],
    ] as const) {
      h.slack.reset();
      await h.send.interaction(
        blockActions({ action_id: ACTION.openConnection, value: bot.id, view: viewPayload({ callback_id: VIEW.bot }) }),
      );
      const viewId = viewIdOf(await h.slack.waitFor('views.push'));
      const view = viewPayload({
        id: viewId,
        callback_id: VIEW.connection,
        private_metadata: text({ botId: bot.id }),
        values: { [INPUT.key]: { [VALUE]: selectedOption(keyId) } },
      });
      await h.send.interaction(blockActions({ action_id: ACTION.validateKey, value: keyId, view }));
      const result = await h.slack.waitFor('views.update', (c) => modalText(c).includes(expected));
      expect(modalText(result)).toContain('are locked');
    }
  });
});
