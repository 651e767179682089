import { eq } from 'drizzle-orm';
import { AuditLog } from '../../models/audit-log';
import { GitHubRepositoryStore } from '../../models/github';
import { Secrets } from '../../src/crypto/secrets';
import { BotRepository } from '../../models/bots';
import { ChannelSettingsRepository } from '../../models/channel-settings';
import { ClaudeConnectionRepository } from '../../models/claude-connections';
import { accessTokens } from '../../models/schema';
import { SessionRepository } from '../../models/sessions';
import { SpendRepository } from '../../models/spend';
import { defaultBotSettings } from '../../src/domain/channel-settings';
import { ACTION } from '../../src/views/ids';
import type { SlackCall } from '../fakes/slack-api';
import { startHarness, type Harness } from '../support/harness';
import { appMention, blockActions } from '../support/slack-requests';
import { readyBot, sessionsQuery } from './sessions-helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());
beforeEach(() => {
  h.slack.reset();
  h.slack.state.users.set('U0003', { id: 'U0003', name: 'carol', real_name: 'Carol Stranger' });
});

const text = (value: unknown) => JSON.stringify(value);
const channels = () => new ChannelSettingsRepository(h.db.db);
const rich = (t: string) => ({
  type: 'rich_text' as const,
  elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: t }] }],
});
const key = (channelId: string) => ({ teamId: 'T0001', enterpriseId: null, channelId });
const isCard = (c: SlackCall) => (text(c.args.blocks) ?? '').includes(ACTION.viewLog);

/** A Full-mode bot with its own guidance, and a channel that overrides guidance, holds it to Basic and sets $2.50. */
async function botWithOverrides(name: string, channelId: string) {
  const { bot } = await readyBot(h, name);
  await new BotRepository(h.db.db).setToolAccess(bot.id, { toolMode: 'full', allowDirectApi: false });
  await new ClaudeConnectionRepository(h.db.db).save(bot.id, { guidance: 'Be brief.' });
  const github = new GitHubRepositoryStore(h.db.db, new Secrets(Buffer.from(h.config.encryptionKey ?? '', 'base64')));
  const repo = (id: number, fullName: string) => ({ id, fullName, isPrivate: true, defaultBranch: 'main' });
  await github.connect({
    botId: bot.id,
    teamId: 'T0001',
    installationId: 42,
    account: 'acme',
    available: [repo(1, 'acme/api'), repo(2, 'acme/web')],
    connectedBy: 'U0001',
  });
  await github.choose(bot.id, [
    { fullName: 'acme/api', branch: null },
    { fullName: 'acme/web', branch: 'release' },
  ]);
  await channels().saveAll(key(channelId), { guidance: 'Channel-wide note.' }, [
    {
      ...defaultBotSettings(bot.id),
      repositoriesMode: 'override',
      repositories: ['acme/web'],
      guidanceMode: 'override',
      guidance: rich('Answer in French.'),
      maxToolMode: 'basic',
      sessionBudgetCents: 250,
    },
  ]);
  return bot;
}

describe('a session in a channel with settings', () => {
  it('carries exactly the overridden guidance, tool mode and limit to the provider, and says so on the card', async () => {
    const bot = await botWithOverrides('linguist', 'C0001');
    h.anthropic.setScenario('default', 'plain', { text: 'Voilà.' });
    const root = h.slack.seedMessage({ text: 'Translate the release notes', user: 'U0002' });
    await h.send.event(appMention({ text: '<@UBATON> linguist go', ts: '1700000300.000200', thread_ts: root.ts }));
    const session = await sessionsQuery(h).waitFor(bot.id, 'done');

    const created = h.anthropic.sessions.get(session.providerSessionId!);
    expect(created?.budget).toEqual({ type: 'limit', max_list_cost: { amount: '250', currency: 'USD' } });
    const task = text(h.anthropic.eventsOf(session.providerSessionId!).find((e) => e.type === 'user.message'));
    expect(task).toContain('Answer in French.');
    expect(task).not.toContain('Be brief.');
    expect(task).not.toContain('Channel-wide note.');
    expect(task.indexOf('Answer in French.')).toBeLessThan(task.indexOf('untrusted_user_content'));
    const [token] = await h.db.db.select().from(accessTokens).where(eq(accessTokens.sessionId, session.id));
    expect(token?.scope).toBe('basic');

    const card = await h.slack.waitFor('chat.postMessage', isCard);
    const cardText = text(card.args.blocks);
    expect(cardText).toContain('Runs with');
    expect(cardText).toContain(
      'acme/web · Basic tools · $2.50 limit · channel sets guidance, repositories, tool mode, budget',
    );
    const snapshot = (await new SpendRepository(h.db.db).get(session.id))?.config;
    expect(snapshot).toMatchObject({
      repositories: { value: [{ fullName: 'acme/web', branch: 'release' }], source: 'channel' },
    });
    expect(cardText).toContain(ACTION.sessionDetails);

    await h.send.interaction(blockActions({ action_id: ACTION.sessionDetails, value: session.id, user: 'U0002' }));
    const details = text((await h.slack.waitFor('views.open')).args.view);
    expect(details).toContain('Session details');
    expect(details).toContain(
      "*Guidance:* 1 line: Answer in French.\\n_channel override (replaces the bot's guidance)_",
    );
    expect(details).toContain(
      '*Tool mode:* Basic task mode\\n_channel rule (a Full bot held to Basic in this channel)_',
    );
    expect(details).toContain('*Budget:* $2.50 per session\\n_channel override_');
    expect(details).toContain('*Repositories:* acme/web (release)\\n_channel override_');

    const started = (await new AuditLog(h.db.db).recent('T0001', 20)).find((e) => e.action === 'session.started');
    expect(started).toMatchObject({ target: session.id, actorId: 'U0001' });
    expect(started!.details).toMatchObject({
      toolMode: { value: 'basic', source: 'rule' },
      guidance: { source: 'channel' },
      budgetCents: { value: 250, source: 'channel' },
    });
  });

  it('pauses at its limit; a stranger cannot continue it, the requester can, and it finishes', async () => {
    const bot = await botWithOverrides('spender', 'C0005');
    h.anthropic.defineScenario('costly', [
      { message: 'Working on it.' },
      { spend: { cents: 300 } },
      { message: 'All done after the raise.' },
    ]);
    h.anthropic.setScenario('default', 'costly');
    const root = h.slack.seedMessage({ channel: 'C0005', text: 'Do the expensive thing', user: 'U0002' });
    await h.send.event(
      appMention({
        channel: 'C0005',
        user: 'U0002',
        text: '<@UBATON> spender go',
        ts: '1700000400.000200',
        thread_ts: root.ts,
      }),
    );
    const paused = await sessionsQuery(h).waitFor(bot.id, 'paused');
    const pausedCard = await h.slack.waitFor('chat.update', (c) =>
      text(c.args.blocks).includes('Continue for $2.50 more'),
    );
    expect(text(pausedCard.args.blocks)).toContain('reached its $2.50 spending limit');
    expect(text(pausedCard.args.blocks)).toContain('Spent $3.00 of $2.50');

    await h.send.interaction(
      blockActions({ action_id: ACTION.continueBudget, value: paused.id, user: 'U0003', channel: 'C0005' }),
    );
    const refusal = await h.slack.waitFor('response_url');
    expect(text(refusal.args)).toContain('Only <@U0002> (who started this session) or a Baton admin');
    expect((await new SpendRepository(h.db.db).get(paused.id))?.limitCents).toBe(250);
    expect((await new SessionRepository(h.db.db).get(paused.id))?.status).toBe('paused');

    await h.send.interaction(
      blockActions({ action_id: ACTION.continueBudget, value: paused.id, user: 'U0002', channel: 'C0005' }),
    );
    const done = await sessionsQuery(h).waitFor(bot.id, 'done');
    expect(h.anthropic.sessions.get(done.providerSessionId!)?.budget?.max_list_cost.amount).toBe('500');
    await h.slack.waitFor('chat.postMessage', (c) => c.args.text === 'All done after the raise.');
    const spend = await new SpendRepository(h.db.db).get(done.id);
    expect(spend).toMatchObject({ limitCents: 500, costUsd: 3 });
    const final = await h.slack.waitFor('chat.update', (c) =>
      text(c.args.blocks).includes('*spender* · :white_check_mark: Done'),
    );
    expect(text(final.args.blocks)).toContain('Spent $3.00 of $5.00');
    const raised = (await new AuditLog(h.db.db).recent('T0001', 20)).find((e) => e.action === 'session.budget_raised');
    expect(raised).toMatchObject({
      actorId: 'U0002',
      details: { before: { limitCents: 250 }, after: { limitCents: 500 } },
    });
  });

  it('does not start a session in a channel over its monthly cap, and tells the person why and who can raise it', async () => {
    const { bot } = await readyBot(h, 'capped');
    await channels().save(key('C0007'), { monthlyCapCents: 100 });
    const sessions = new SessionRepository(h.db.db);
    const earlier = await sessions.create({
      teamId: 'T0001',
      botId: bot.id,
      channelId: 'C0007',
      threadTs: '1700000500.000100',
      trigger: 'mention',
      triggerTs: '1700000500.000100',
      requesterId: 'U0001',
      task: 'x',
    });
    const spend = new SpendRepository(h.db.db);
    await spend.open({
      sessionId: earlier.id,
      teamId: 'T0001',
      channelId: 'C0007',
      botId: bot.id,
      limitCents: 500,
      config: {},
    });
    await spend.recordUsage(earlier.id, { costUsd: 1.5, inputTokens: 10, outputTokens: 10 });
    await sessions.finish(earlier.id, 'done', null);

    const root = h.slack.seedMessage({ channel: 'C0007', text: 'One more please', user: 'U0002' });
    await h.send.event(
      appMention({
        channel: 'C0007',
        user: 'U0002',
        text: '<@UBATON> capped go',
        ts: '1700000500.000200',
        thread_ts: root.ts,
      }),
    );
    const refused = await sessionsQuery(h).waitFor(bot.id, 'stopped');
    expect(refused.statusReason).toContain('monthly cap');
    const told = await h.slack.waitFor('chat.postEphemeral');
    expect(told.args).toMatchObject({ channel: 'C0007', user: 'U0002', thread_ts: root.ts });
    expect(String(told.args.text)).toContain('reached its monthly cap ($1.50 spent of $1.00)');
    expect(String(told.args.text)).toContain('can raise the cap with `/baton channel`');
    expect(h.slack.callsTo('chat.postMessage').filter(isCard)).toEqual([]);
    expect(refused.providerSessionId).toBeNull();
  });

  it('starts sessions only for the people and groups the channel names', async () => {
    const { bot } = await readyBot(h, 'gated');
    h.slack.state.usergroups.set('S0009', { id: 'S0009', name: 'Oncall', handle: 'oncall', users: ['U0003'] });
    await channels().saveAll(key('C0008'), {}, [
      { ...defaultBotSettings(bot.id), startersMode: 'named', starterUsers: ['U0001'], starterGroups: ['S0009'] },
    ]);
    h.anthropic.setScenario('default', 'plain', { text: 'ok' });
    const root = h.slack.seedMessage({ channel: 'C0008', text: 'Please', user: 'U0002' });
    await h.send.event(
      appMention({
        channel: 'C0008',
        user: 'U0002',
        text: '<@UBATON> gated go',
        ts: '1700000600.000200',
        thread_ts: root.ts,
      }),
    );
    await sessionsQuery(h).waitFor(bot.id, 'stopped');
    expect(String((await h.slack.waitFor('chat.postEphemeral')).args.text)).toContain(
      "Only the people and groups named in this channel's settings can start sessions with *gated*",
    );

    await h.send.event(
      appMention({
        channel: 'C0008',
        user: 'U0003',
        text: '<@UBATON> gated go',
        ts: '1700000600.000300',
        thread_ts: root.ts,
      }),
    );
    await sessionsQuery(h).waitFor(bot.id, 'done');
  });
});
