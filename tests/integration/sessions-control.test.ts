import { BotRepository } from '../../models/bots';
import { ClaudeConnectionRepository } from '../../models/claude-connections';
import { ACTION } from '../../src/views/ids';
import { startHarness, type Harness } from '../support/harness';
import { appMention, blockActions } from '../support/slack-requests';
import { readyBot, sessionsQuery } from './sessions-helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CONFIRM_TIMEOUT_MS: '1500' });
  h.slack.state.users.set('U0003', { id: 'U0003', name: 'eve' });
  h.slack.state.channels.set('C0001', {
    id: 'C0001',
    name: 'general',
    is_member: true,
    members: ['U0001', 'U0002', 'UBATON'],
  });
});
afterAll(() => h.stop());
beforeEach(() => h.slack.reset());

const text = (value: unknown) => JSON.stringify(value);

/** A bot whose agent also calls a Linear MCP server (asks before each call), with the user's vault for it. */
async function botWithLinear(name: string) {
  const { bot } = await readyBot(h, name);
  const client = h.anthropicClient();
  const url = 'https://mcp.linear.example/mcp';
  const agent = await client.beta.agents.create({
    name: `Agent ${name} with Linear`,
    model: 'claude-sonnet-4-6',
    mcp_servers: [{ type: 'url', name: 'linear', url }],
    tools: [{ type: 'mcp_toolset', mcp_server_name: 'linear' }],
  });
  const vault = await client.beta.vaults.create({ display_name: 'Team vault' });
  await client.beta.vaults.credentials.create(vault.id, {
    auth: { type: 'static_bearer', mcp_server_url: url, token: 'lin_secret' },
  });
  await new ClaudeConnectionRepository(h.db.db).save(bot.id, { agentId: agent.id, vaultIds: [vault.id] });
  return bot;
}

describe('controlling a running session from the thread', () => {
  it('asks for approval of an always_ask tool, refuses strangers, and continues once a member approves', async () => {
    const bot = await botWithLinear('approver');
    h.anthropic.setScenario('default', 'tool-confirmation');
    await h.send.event(appMention({ text: '<@UBATON> approver file a bug', ts: '1700001000.000100' }));
    const ask = await h.slack.waitFor(
      'chat.postMessage',
      (c) => text(c.args.blocks).includes(ACTION.approveTool),
      15_000,
    );
    expect(ask.ok).toBe(true);
    expect(text(ask.args.blocks)).toContain('linear.create_issue');
    await sessionsQuery(h).waitFor(bot.id, 'awaiting_input');
    const value = (ask.args.blocks as Array<{ elements?: Array<{ value?: string }> }>)[1]!.elements![0]!.value!;

    await h.send.interaction(blockActions({ action_id: ACTION.approveTool, value, user: 'U0003' }));
    const refusal = await h.slack.waitFor('response_url');
    expect(text(refusal.args)).toContain('Only <@U0001>, members of this channel or Baton admins');

    await h.send.interaction(blockActions({ action_id: ACTION.approveTool, value, user: 'U0002' }));
    await sessionsQuery(h).waitFor(bot.id, 'done');
    await h.slack.waitFor('chat.postMessage', (c) => String(c.args.text).startsWith('Done: Created ENG-42'));
    const updated = await h.slack.waitFor('chat.update', (c) => String(c.args.text).includes('Approved by <@U0002>'));
    expect(updated.args.ts).toBe((ask.response as { ts: string }).ts);
  });

  it('denies the tool call when nobody answers in time', async () => {
    const bot = await botWithLinear('patient');
    h.anthropic.setScenario('default', 'tool-confirmation');
    await h.send.event(appMention({ text: '<@UBATON> patient file a bug', ts: '1700001100.000100' }));
    await sessionsQuery(h).waitFor(bot.id, 'awaiting_input');
    await sessionsQuery(h).waitFor(bot.id, 'done', 20_000);
    await h.slack.waitFor('chat.postMessage', (c) => String(c.args.text).includes('did not call create_issue'));
    await h.slack.waitFor('chat.update', (c) => String(c.args.text).includes('nobody answered in time'));
  });

  it('sends a second mention of a running bot to its session as a follow-up', async () => {
    const { bot } = await readyBot(h, 'listener');
    h.anthropic.setScenario('default', 'slow', { delayMs: '300', text: 'Turn answer' });
    await h.send.event(appMention({ text: '<@UBATON> listener start', ts: '1700001200.000100' }));
    await sessionsQuery(h).waitFor(bot.id, 'running');
    await h.send.event(
      appMention({ text: '<@UBATON> listener also this', ts: '1700001200.000200', thread_ts: '1700001200.000100' }),
    );
    const session = await sessionsQuery(h).waitFor(bot.id, 'done', 20_000);
    expect(await sessionsQuery(h).forBot(bot.id)).toHaveLength(1);
    const messages = (await sessionsQuery(h).events(session.id)).filter((e) => e.kind === 'turn_started');
    expect(messages).toHaveLength(2);
    expect(text(messages[1])).toContain('also this');
    await h.slack.waitFor('chat.update', (c) => text(c.args.blocks).includes('Follow-up sent'));
    const answers = h.slack.callsTo('chat.postMessage').filter((c) => c.args.text === 'Turn answer');
    expect(answers).toHaveLength(2);
  });
});

describe('direct API access', () => {
  it('gives a session a short-lived API token only when the bot allows it, and ends it with the session', async () => {
    const { bot } = await readyBot(h, 'trusted');
    await new BotRepository(h.db.db).setToolAccess(bot.id, { toolMode: 'basic', allowDirectApi: true });
    h.anthropic.setScenario('default', 'slow', { delayMs: '300', text: 'ok' });
    await h.send.event(appMention({ text: '<@UBATON> trusted go', ts: '1700001300.000100' }));
    const running = await sessionsQuery(h).waitFor(bot.id, 'running');
    const credentials = h.anthropic.credentialsOf(running.providerState.vaultId!);
    const direct = credentials.find((c) => c.credential.auth.type === 'environment_variable');
    expect(direct?.credential.auth).toMatchObject({ secret_name: 'BATON_API_TOKEN' });
    const token = (direct?.secretAuth as { secret_value: string }).secret_value;
    expect(token).toMatch(/^btn_pat_/);
    const task = JSON.stringify(
      h.anthropic.eventsOf(running.providerSessionId!).find((e) => e.type === 'user.message'),
    );
    expect(task).toContain('/api/v1');
    expect(task).not.toContain(token);

    await sessionsQuery(h).waitFor(bot.id, 'done');
    const after = await fetch(`http://127.0.0.1:${h.baton.port}/api/v1/sessions`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.status).toBe(401);

    const { bot: plain } = await readyBot(h, 'untrusted');
    await h.send.event(appMention({ text: '<@UBATON> untrusted go', ts: '1700001300.000200' }));
    const other = await sessionsQuery(h).waitFor(plain.id, 'running');
    expect(h.anthropic.credentialsOf(other.providerState.vaultId!).map((c) => c.credential.auth.type)).toEqual([
      'static_bearer',
    ]);
  });
});
