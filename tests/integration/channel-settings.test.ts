import { AuditLog } from '../../models/audit-log';
import { BotRepository } from '../../models/bots';
import { ClaudeConnectionRepository } from '../../models/claude-connections';
import { ChannelSettingsRepository } from '../../models/channel-settings';
import { SpendRepository } from '../../models/spend';
import { McpServerRepository } from '../../models/mcp-servers';
import { SessionRepository } from '../../models/sessions';
import { SkillRepository } from '../../models/skills';
import { Secrets } from '../../src/crypto/secrets';
import { defaultBotSettings } from '../../src/domain/channel-settings';
import { VIEW } from '../../src/views/ids';
import type { SlackCall } from '../fakes/slack-api';
import { startHarness, type Harness } from '../support/harness';
import { formValues, inputByLabel, labelsOf } from '../support/modal-form';
import { slashCommand, viewSubmission } from '../support/slack-requests';
import { botsQuery } from './bots-helpers';

let h: Harness;
let reviewerId: string;
beforeAll(async () => {
  h = await startHarness();
  const q = botsQuery(h);
  const reviewer = await q.createClaudeBot('reviewer');
  reviewerId = reviewer.id;
  await q.createClaudeBot('helper');
  await new BotRepository(h.db.db).setToolAccess(reviewer.id, { toolMode: 'full', allowDirectApi: false });
  await new ClaudeConnectionRepository(h.db.db).save(reviewer.id, { mode: 'managed', guidance: 'Be brief.' });
});
afterAll(() => h.stop());
beforeEach(() => h.slack.reset());

type View = Record<string, unknown>;
const viewOf = (call: SlackCall) => call.args.view as View;
const text = (value: unknown) => JSON.stringify(value);
const channels = () => new ChannelSettingsRepository(h.db.db);
const key = { teamId: 'T0001', enterpriseId: null, channelId: 'C0001' };

async function openSettings(user = 'U0001', words = 'channel'): Promise<View> {
  const command = slashCommand({ text: words, user_id: user });
  await h.send.command(command);
  // The modal that answers this command: one opened for an earlier command may still be on its way.
  const opened = await h.slack.waitFor('views.open', (call) => call.args.trigger_id === command.trigger_id);
  expect(opened.ok).toBe(true);
  return viewOf(opened);
}

/** Which bot section (0-based) of the modal belongs to the bot with this name. */
const sectionOf = (view: View, botName: string) =>
  (view.blocks as Array<{ type: string; text?: { text: string } }>)
    .filter((b) => b.type === 'header')
    .findIndex((b) => b.text?.text.endsWith(`(${botName})`));

const submit = (view: View, answers: Record<string, unknown>, user = 'U0001', nth = 0) =>
  h.send.interaction(
    viewSubmission({
      callback_id: VIEW.channelSettings,
      user,
      private_metadata: view.private_metadata as string,
      values: formValues(view, answers, nth),
    }),
  );

describe('Channel settings', () => {
  it('opens for an admin with every control, one section per bot', async () => {
    const view = await openSettings();
    expect(text(view.title)).toContain('Channel settings');
    expect(text(view.submit)).toContain('Save');
    const labels = labelsOf(view);
    expect(labels).toEqual(expect.arrayContaining(['Default bot', 'Guidance for every bot here', 'Monthly cap (USD)']));
    for (const label of [
      'Guidance',
      'Guidance for this channel',
      'Repositories',
      'Who may start sessions',
      'People who may start sessions',
      'Thread replies',
      'Highest tool mode',
      'Approval for external MCP tools',
      'Spending limit per session (USD)',
    ]) {
      expect(labels.filter((l) => l === label)).toHaveLength(2);
    }
    expect(inputByLabel(view, 'Guidance').element.type).toBe('radio_buttons');
    expect(inputByLabel(view, 'Guidance for this channel').element.type).toBe('rich_text_input');
    expect(text(view)).toContain('has no repositories yet');
  });

  it('shows everyone else the settings read-only and refuses their submit', async () => {
    await channels().save(key, { guidance: 'Use the staging cluster.' });
    const view = await openSettings('U0002');
    expect(view.submit).toBeUndefined();
    expect(labelsOf(view)).toEqual([]);
    expect(text(view)).toContain('Only Baton admins can change them');
    expect(text(view)).toContain('Use the staging cluster.');
    expect(text(view)).toContain('Who may start sessions: Anyone in the channel');

    const admin = await openSettings();
    h.slack.reset();
    const forged = await submit(admin, { 'Monthly cap (USD)': '1' }, 'U0002');
    expect(text(forged.body)).toContain('Only Baton admins');
    expect((await channels().get(key)).monthlyCapCents).toBeNull();
  });

  it('puts every mistake inline on its field and saves nothing', async () => {
    const view = await openSettings();
    const reply = await submit(view, {
      'Monthly cap (USD)': 'lots',
      Guidance: "Override the bot's",
      'Who may start sessions': 'Named people or user groups',
      'Spending limit per session (USD)': '-3',
      Repositories: 'Override with a subset',
    });
    const errors = (reply.body as { errors: Record<string, string> }).errors;
    expect(reply.body).toMatchObject({ response_action: 'errors' });
    const id = (label: string) => inputByLabel(view, label).block_id;
    expect(errors[id('Monthly cap (USD)')]).toContain('Enter an amount in dollars');
    expect(errors[id('Guidance for this channel')]).toContain("replaces the bot's");
    expect(errors[id('People who may start sessions')]).toContain('Name at least one person');
    expect(errors[id('Spending limit per session (USD)')]).toContain('Enter an amount in dollars');
    expect(errors[id('Repositories')]).toContain('has no repositories');
    expect((await channels().get(key)).bots).toEqual([]);
  });

  it('saves each control, audits before and after, and explain shows where each value came from', async () => {
    const view = await openSettings();
    const channelWide = await submit(view, { 'Default bot': 'reviewer', 'Monthly cap (USD)': '250' });
    expect(channelWide.body).toMatchObject({ response_action: 'clear' });
    h.slack.reset();
    h.slack.state.usergroups.set('S0001', { id: 'S0001', name: 'Oncall', handle: 'oncall', users: ['U0002'] });
    const reopened = await openSettings();
    // The default bot's section comes first.
    const nth = sectionOf(reopened, 'reviewer');
    expect(nth).toBe(0);
    const reply = await submit(
      reopened,
      {
        Guidance: "Override the bot's",
        'Guidance for this channel': 'Answer in French.',
        'Who may start sessions': 'Named people or user groups',
        'People who may start sessions': ['U0001'],
        'User groups who may start sessions': ['Oncall'],
        'Thread replies': [],
        'Highest tool mode': 'Basic task mode',
        'Approval for external MCP tools': 'Always ask',
        'Spending limit per session (USD)': '2.50',
      },
      'U0001',
      nth,
    );
    expect(reply.body).toMatchObject({ response_action: 'clear' });
    const saved = await channels().get(key);
    expect(saved).toMatchObject({ defaultBotId: reviewerId, monthlyCapCents: 25_000 });
    const section = saved.bots.find((b) => b.botId === reviewerId);
    expect(section).toMatchObject({
      guidanceMode: 'override',
      startersMode: 'named',
      starterUsers: ['U0001'],
      starterGroups: ['S0001'],
      repliesWithoutMention: false,
      maxToolMode: 'basic',
      mcpApproval: 'always',
      sessionBudgetCents: 250,
    });

    const [entry, first] = await new AuditLog(h.db.db).recent('T0001', 2);
    expect(first).toMatchObject({ action: 'channel.settings', target: 'C0001', actorId: 'U0001' });
    expect(first!.details).toEqual({
      channel: {
        before: { defaultBotId: null, monthlyCapCents: null },
        after: { defaultBotId: reviewerId, monthlyCapCents: 25_000 },
      },
    });
    expect(entry!.details).toMatchObject({
      reviewer: {
        before: { guidanceMode: 'inherit', maxToolMode: 'full' },
        after: { guidanceMode: 'override', guidance: 'Answer in French.', maxToolMode: 'basic' },
      },
    });

    // The modal opens again with what was saved.
    h.slack.reset();
    const again = await openSettings();
    expect(text(inputByLabel(again, 'Highest tool mode').element.initial_option)).toContain('basic');
    expect(inputByLabel(again, 'Spending limit per session (USD)').element.initial_value).toBe('2.50');

    h.slack.reset();
    await h.send.command(slashCommand({ text: 'explain reviewer', user_id: 'U0002' }));
    const explained = text((await h.slack.waitFor('response_url')).args);
    expect(explained).toContain('*Guidance:* 1 line: Answer in French.');
    expect(explained).toContain("channel override (replaces the bot's guidance)");
    expect(explained).toContain('*Tool mode:* Basic task mode');
    expect(explained).toContain('channel rule (a Full bot held to Basic in this channel)');
    expect(explained).toContain('*Budget:* $2.50 per session');
    expect(explained).toContain('Nothing was started');
    expect(await new SessionRepository(h.db.db).listUnfinished()).toEqual([]);
  });

  it('keeps the existing shortcuts, and the settings follow the channel id across an Enterprise move', async () => {
    await h.send.command(slashCommand({ text: 'channel default helper' }));
    expect(text((await h.slack.waitFor('response_url')).args)).toContain('now go to *helper*');
    await h.send.command(slashCommand({ text: 'channel default helper', user_id: 'U0002' }));
    expect(text((await h.slack.waitFor('response_url', (c) => text(c.args).includes('admin'))).args)).toContain(
      'admin',
    );
    const moved = { teamId: 'T0009', enterpriseId: 'E0001', channelId: 'C0777' };
    await channels().save({ ...moved, teamId: 'T0008' }, { guidance: 'Org-wide rule.' });
    expect((await channels().get(moved)).guidance).toBe('Org-wide rule.');
    expect((await channels().get({ ...moved, enterpriseId: null })).guidance).toBe('');
  });

  it('explain lists the skills and MCP servers a managed bot’s agent has, and what the channel rule makes of them', async () => {
    const bot = await botsQuery(h).createClaudeBot('toolsmith');
    const skill = await new SkillRepository(h.db.db).create(
      'T0001',
      { skillId: 'release-notes', title: 'Release notes', description: 'Writes them', instructions: 'Be terse.' },
      'U0001',
    );
    await new ClaudeConnectionRepository(h.db.db).save(bot.id, {
      mode: 'managed',
      skills: ['anthropic:xlsx', `custom:${skill.id}`],
    });
    const servers = new McpServerRepository(h.db.db, new Secrets(Buffer.from(h.config.encryptionKey ?? '', 'base64')));
    const linear = await servers.create(bot.id, {
      name: 'linear',
      url: 'https://mcp.linear.example/mcp',
      authMode: 'none',
      isTrusted: true,
    });
    await servers.setState(linear.id, 'connected');
    await servers.create(bot.id, {
      name: 'notion',
      url: 'https://mcp.notion.example/mcp',
      authMode: 'none',
      isTrusted: false,
    });

    await h.send.command(slashCommand({ text: 'explain toolsmith', user_id: 'U0002' }));
    const explained = text((await h.slack.waitFor('response_url')).args);
    expect(explained).toContain('*Skills:* xlsx, release-notes');
    // notion is saved but not yet on the agent (pending its sync).
    expect(explained).toContain('*MCP servers:* linear (trusted)');

    await channels().saveAll(key, {}, [{ ...defaultBotSettings(bot.id), mcpApproval: 'always' }]);
    h.slack.reset();
    await h.send.command(slashCommand({ text: 'explain toolsmith', user_id: 'U0002' }));
    expect(text((await h.slack.waitFor('response_url')).args)).toContain('*MCP servers:* linear (asks first)');
  });

  it('lets admins set default budgets, and explain names the source', async () => {
    await h.send.command(slashCommand({ text: 'budget 3' }));
    expect(text((await h.slack.waitFor('response_url')).args)).toContain('$3.00 per session');
    h.slack.reset();
    await h.send.command(slashCommand({ text: 'explain helper' }));
    expect(text((await h.slack.waitFor('response_url')).args)).toContain('$3.00 per session\\n_workspace default_');
    h.slack.reset();
    await h.send.command(slashCommand({ text: 'budget helper 4', user_id: 'U0002' }));
    expect(text((await h.slack.waitFor('response_url')).args)).toContain('Only Baton admins');
  });

  it('shows admins this month’s spend per channel and bot, with tokens where no cost is reported', async () => {
    const sessions = new SessionRepository(h.db.db);
    const spend = new SpendRepository(h.db.db);
    const make = async (channelId: string, cost: number | null, tokens: number) => {
      const s = await sessions.create({
        teamId: 'T0001',
        enterpriseId: undefined,
        botId: reviewerId,
        channelId,
        threadTs: `${Date.now()}.0001`,
        trigger: 'mention',
        triggerTs: '1.1',
        requesterId: 'U0001',
        task: 'x',
      });
      await spend.open({ sessionId: s.id, teamId: 'T0001', channelId, botId: reviewerId, limitCents: 500, config: {} });
      await spend.recordUsage(s.id, { costUsd: cost, inputTokens: tokens, outputTokens: 0 });
    };
    await make('C0001', 1.25, 1000);
    await make('C0002', 4.5, 2000);
    await make('C0003', null, 777);
    await h.send.command(slashCommand({ text: 'spend' }));
    const report = text((await h.slack.waitFor('response_url')).args);
    expect(report).toContain('<#C0002>: $4.50 · 1 session');
    expect(report).toContain('<#C0003>: 777 tokens');
    expect(report).toContain('1. $4.50 · *reviewer* in <#C0002>');
    expect(report).not.toContain('$0.00');
    h.slack.reset();
    await h.send.command(slashCommand({ text: 'spend', user_id: 'U0002' }));
    expect(text((await h.slack.waitFor('response_url')).args)).toContain('Only Baton admins');
  });
});
