import { ACTION, INPUT, VALUE, VIEW } from '../../src/views/ids';
import { ANTHROPIC_KEY, startHarness, type Harness } from '../support/harness';
import {
  blockActions,
  selectedOption,
  slashCommand,
  textInput,
  viewPayload,
  viewSubmission,
} from '../support/slack-requests';
import { botsQuery, viewIdOf } from './bots-helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ANTHROPIC_TIMEOUT_MS: '300' });
});
afterAll(() => h.stop());
beforeEach(() => h.slack.reset());

const text = (value: unknown) => JSON.stringify(value);

/** A Claude bot with a validated key, its connection modal open (as the fake knows it). */
async function botWithValidKey(name: string) {
  const q = botsQuery(h);
  const bot = await q.createClaudeBot(name);
  const [keyId] = await q.addKeys([[`key-${name}`, ANTHROPIC_KEY]]);
  await h.send.interaction(
    blockActions({ action_id: ACTION.openConnection, value: bot.id, view: viewPayload({ callback_id: VIEW.bot }) }),
  );
  const viewId = viewIdOf(await h.slack.waitFor('views.push'));
  const modal = (values: Record<string, unknown> = {}) =>
    viewPayload({
      id: viewId,
      callback_id: VIEW.connection,
      private_metadata: text({ botId: bot.id }),
      values: { [INPUT.key]: { [VALUE]: selectedOption(keyId!) }, ...values },
    });
  await h.send.interaction(blockActions({ action_id: ACTION.validateKey, value: keyId, view: modal() }));
  await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('Connection valid'));
  return { bot, keyId: keyId!, viewId, modal };
}

const existingValues = (keyId: string, agent?: string, environment?: string) => ({
  [INPUT.key]: { [VALUE]: selectedOption(keyId) },
  [INPUT.mode]: { [VALUE]: selectedOption('existing', 'Existing', 'radio_buttons') },
  [INPUT.agent]: { [VALUE]: agent ? selectedOption(agent) : { type: 'static_select', selected_option: null } },
  [INPUT.environment]: {
    [VALUE]: environment ? selectedOption(environment) : { type: 'static_select', selected_option: null },
  },
  [INPUT.vaults]: { [VALUE]: { type: 'multi_static_select', selected_options: [] } },
  [INPUT.toolMode]: { [VALUE]: selectedOption('basic', 'Basic', 'radio_buttons') },
  [INPUT.directApi]: { [VALUE]: { type: 'checkboxes', selected_options: [] } },
});

describe('connecting an existing Claude agent', () => {
  it('lists resources with ids, requires an environment, and refuses resources deleted since the refresh', async () => {
    const agent = await h.anthropicClient().beta.agents.create({ name: 'Support agent', model: 'claude-sonnet-4-6' });
    const env = await h.anthropicClient().beta.environments.create({ name: 'support-env', config: { type: 'cloud' } });
    const { bot, keyId, viewId, modal } = await botWithValidKey('support');

    await h.send.interaction(
      blockActions({
        action_id: ACTION.refreshResources,
        value: keyId,
        view: modal({ [INPUT.mode]: { [VALUE]: selectedOption('existing', 'x', 'radio_buttons') } }),
      }),
    );
    const refreshed = await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('Support agent'));
    expect(text(refreshed.args.view)).toContain(agent.id);
    expect(text(refreshed.args.view)).toContain('managed in the Anthropic Console');

    const submit = (values: Record<string, unknown>) =>
      h.send.interaction(
        viewSubmission({
          callback_id: VIEW.connection,
          view_id: viewId,
          private_metadata: text({ botId: bot.id }),
          values,
        }),
      );
    const noEnv = await submit(existingValues(keyId, agent.id));
    expect(noEnv.body).toMatchObject({
      response_action: 'errors',
      errors: { [INPUT.environment]: expect.stringContaining('environment') },
    });

    h.anthropic.removeRemotely(env.id);
    const checking = await submit(existingValues(keyId, agent.id, env.id));
    expect(checking.body).toMatchObject({ response_action: 'update' });
    const refused = await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('Not saved'));
    expect(text(refused.args.view)).toContain(env.id);
    expect((await botsQuery(h).connection(bot.id))?.agentId ?? null).toBeNull();

    const env2 = await h
      .anthropicClient()
      .beta.environments.create({ name: 'support-env-2', config: { type: 'cloud' } });
    await submit(existingValues(keyId, agent.id, env2.id));
    await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('Connected'));
    expect(await botsQuery(h).connection(bot.id)).toMatchObject({
      mode: 'existing',
      agentId: agent.id,
      environmentId: env2.id,
    });
    expect((await h.anthropicClient().beta.agents.retrieve(agent.id)).version).toBe(agent.version);
  });
});

describe('sync failures and Ask agent', () => {
  it('marks the bot Failed with the reason when Anthropic times out, and Retry recovers it', async () => {
    const { bot, keyId, viewId } = await botWithValidKey('flaky');
    // Every attempt of the sync job times out (5 attempts), then Retry finds Anthropic answering again.
    h.anthropic.failNext('/v1/agents', { delayMs: 1_000, method: 'POST', times: 5 });
    await h.send.interaction(
      viewSubmission({
        callback_id: VIEW.connection,
        view_id: viewId,
        private_metadata: text({ botId: bot.id }),
        values: {
          [INPUT.key]: { [VALUE]: selectedOption(keyId) },
          [INPUT.mode]: { [VALUE]: selectedOption('managed', 'm', 'radio_buttons') },
          [INPUT.model]: { [VALUE]: selectedOption('claude-sonnet-4-6') },
        },
      }),
    );
    await botsQuery(h).waitForStatus(bot.id, 'failed', 20_000);
    expect((await botsQuery(h).get(bot.id))?.statusDetail).toMatch(/Could not reach the Anthropic API/);

    await h.send.command(slashCommand({ text: 'bots' }));
    expect(text((await h.slack.waitFor('response_url')).args)).toContain(ACTION.retrySync);
    await h.send.interaction(blockActions({ action_id: ACTION.retrySync, value: bot.id }));
    await botsQuery(h).waitForStatus(bot.id, 'ready', 20_000);
  });

  it('proposes settings as a diff and applies only the ticked ones', async () => {
    const { bot, keyId, viewId } = await botWithValidKey('asker');
    await h.send.interaction(
      viewSubmission({
        callback_id: VIEW.connection,
        view_id: viewId,
        private_metadata: text({ botId: bot.id }),
        values: {
          [INPUT.key]: { [VALUE]: selectedOption(keyId) },
          [INPUT.mode]: { [VALUE]: selectedOption('managed', 'm', 'radio_buttons') },
          [INPUT.model]: { [VALUE]: selectedOption('claude-sonnet-4-6') },
          [INPUT.guidance]: { [VALUE]: textInput('Old guidance') },
        },
      }),
    );
    await botsQuery(h).waitForStatus(bot.id, 'ready');
    h.anthropic.setMessagesResponder(() => ({
      content: [
        {
          type: 'tool_use',
          id: 'toolu_1',
          name: 'propose_bot_settings',
          input: {
            instructions: { value: 'Answer in French.', reason: 'The admin asked for French.' },
            guidance: { value: 'Cite sources.', reason: 'Answers should link what they used.' },
          },
        },
      ],
    }));
    await h.send.interaction(
      blockActions({ action_id: ACTION.askAgent, value: bot.id, view: viewPayload({ callback_id: VIEW.bot }) }),
    );
    const askViewId = viewIdOf(await h.slack.waitFor('views.push'));
    const thinking = await h.send.interaction(
      viewSubmission({
        callback_id: VIEW.ask,
        view_id: askViewId,
        private_metadata: text({ botId: bot.id }),
        values: { [INPUT.ask]: { [VALUE]: textInput('Speak French and cite sources') } },
      }),
    );
    expect(text(thinking.body)).toContain('thinking');
    const proposal = await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('Apply selected'));
    const shown = text(proposal.args.view);
    expect(shown).toContain('Old guidance');
    expect(shown).toContain('Answer in French.');
    expect(shown).toContain('The admin asked for French.');
    expect(await botsQuery(h).connection(bot.id)).toMatchObject({ guidance: 'Old guidance' });

    const metadata = (proposal.args.view as { private_metadata: string }).private_metadata;
    const applied = await h.send.interaction(
      viewSubmission({
        callback_id: VIEW.proposal,
        private_metadata: metadata,
        values: { [INPUT.apply]: { [VALUE]: { type: 'checkboxes', selected_options: [{ value: 'guidance' }] } } },
      }),
    );
    expect(applied.body).toMatchObject({ response_action: 'clear' });
    const connection = await botsQuery(h).connection(bot.id);
    expect(connection?.guidance).toBe('Cite sources.');
    expect(text(connection?.instructions ?? null)).not.toContain('French');
  });
});

describe('keys, admins and deleting bots', () => {
  it('deletes a key in use only after a confirm that names its bots', async () => {
    const { bot, keyId } = await botWithValidKey('keyuser');
    await botsQuery(h).linkKey(bot.id, keyId);
    await h.send.command(slashCommand({ text: 'keys' }));
    const list = await h.slack.waitFor('response_url');
    const listed = text(list.args);
    expect(listed).toContain('Used by *keyuser*');
    expect(listed).toContain('keyuser will lose its connection');
    expect(listed).not.toContain(ANTHROPIC_KEY);
    await h.send.interaction(blockActions({ action_id: ACTION.deleteKey, value: keyId }));
    await h.slack.waitFor('response_url', (c) => c.args.replace_original === true);
    expect((await botsQuery(h).connection(bot.id))?.keyId ?? null).toBeNull();
  });

  it("lets admins add people to Baton's admin list, who may then configure", async () => {
    await h.send.command(slashCommand({ text: 'keys', user_id: 'U0002' }));
    expect(text((await h.slack.waitFor('response_url')).args)).toContain('Ask an admin');
    await h.send.interaction(
      blockActions({ action_id: ACTION.addAdmins, action: { type: 'multi_users_select', selected_users: ['U0002'] } }),
    );
    expect(text((await h.slack.waitFor('response_url', (c) => c.args.replace_original === true)).args)).toContain(
      '<@U0002>',
    );
    h.slack.reset();
    await h.send.command(slashCommand({ text: 'keys', user_id: 'U0002' }));
    expect(text((await h.slack.waitFor('response_url')).args)).toContain('Anthropic API keys');
  });

  it('deletes a bot after the confirm dialog that counts its sessions', async () => {
    const bot = await botsQuery(h).createClaudeBot('doomed');
    await h.send.interaction(blockActions({ action_id: ACTION.editBot, value: bot.id }));
    const edit = await h.slack.waitFor('views.open');
    expect(text(edit.args.view)).toContain('No sessions have used it yet.');
    await h.send.interaction(
      blockActions({
        action_id: ACTION.deleteBot,
        value: bot.id,
        view: viewPayload({ id: viewIdOf(edit), callback_id: VIEW.bot }),
      }),
    );
    await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('was deleted'));
    expect(await botsQuery(h).findByName('T0001', 'doomed')).toBeUndefined();
  });
});
