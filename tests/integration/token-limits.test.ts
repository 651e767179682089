import { SessionTokens } from '../../src/mcp/session-tokens';
import type { Bot } from '../../src/domain/bots';
import type { Session } from '../../src/domain/sessions';
import { startHarness, type Harness } from '../support/harness';
import { appMention } from '../support/slack-requests';
import { readyBot, sessionsQuery } from './sessions-helpers';
import { baseUrl, CHANNEL, mcpClient, resultText, toolsFixture } from './tools-helpers';

let h: Harness;
let f: ReturnType<typeof toolsFixture>;

beforeAll(async () => {
  h = await startHarness({ MAX_ACTIVE_SESSIONS_PER_WORKSPACE: '8' });
  f = toolsFixture(h);
});
afterAll(() => h.stop());

async function api(path: string, token: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${baseUrl(h)}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function fullBot(name: string): Promise<Bot> {
  const bot = await f.bot(name, 'full');
  await f.bots.setToolAccess(bot.id, { toolMode: 'full', allowDirectApi: true });
  return { ...bot, allowDirectApi: true };
}

/** The direct-API token Baton gives a running session of a bot with direct API access. */
async function directToken(session: Session, bot: Bot): Promise<string> {
  const token = await new SessionTokens(f.tokens).issueDirectApi(session, bot);
  if (!token) throw new Error('no direct API token');
  return token;
}

describe('sessions that tokens start (agents cannot multiply themselves)', () => {
  it('refuses a session-bound API token that starts its own bot, and records the parent of one it may start', async () => {
    const a = await fullBot('alpha');
    const b = await fullBot('bravo');
    const thread = f.thread([['U0001', 'Please look']]);
    const session = await f.session(a, thread);
    const token = await directToken(session, a);

    const self = await api('/sessions', token, {
      method: 'POST',
      body: { channel: CHANNEL, thread_ts: thread, task: 'again' },
    });
    expect(self).toMatchObject({ status: 403, body: { error: 'forbidden' } });

    const other = await api('/sessions', token, {
      method: 'POST',
      body: { botName: 'bravo', channel: CHANNEL, thread_ts: thread, task: 'help' },
    });
    expect(other.status).toBe(201);
    const child = await f.sessions.get(String(other.body.session_id));
    expect(child).toMatchObject({ botId: b.id, parentSessionId: session.id, requesterId: 'U0001' });
  });

  it('lets a started session start no further session (one level), so bots cannot start each other', async () => {
    const a = await fullBot('ping1');
    const b = await fullBot('pong1');
    const thread = f.thread([['U0001', 'Ping pong']]);
    const root = await f.session(a, thread);
    const rootMcp = await mcpClient(h, await f.mcpToken(root, a));
    const started = await rootMcp.callTool({
      name: 'start_session',
      arguments: { bot: 'pong1', channel: CHANNEL, thread_ts: thread, task: 'your turn' },
    });
    expect(resultText(started)).toContain('Started pong1');
    const [child] = await f.sessions.listForBot(b.id, 1);
    expect(child?.parentSessionId).toBe(root.id);
    // The started session fails at once (its bot has no agent); bring it back as running to use its tokens.
    await sessionsQuery(h).waitFor(b.id, 'failed');
    await f.sessions.update(child!.id, { status: 'running' });

    const childMcp = await mcpClient(h, await f.mcpToken(child!, b));
    const back = await childMcp.callTool({
      name: 'start_session',
      arguments: { bot: 'ping1', channel: CHANNEL, thread_ts: thread, task: 'your turn' },
    });
    expect(back.isError).toBe(true);
    expect(resultText(back)).toContain('was itself started by another session');
    const viaApi = await api('/sessions', await directToken(child!, b), {
      method: 'POST',
      body: { botName: 'ping1', channel: CHANNEL, thread_ts: thread, task: 'your turn' },
    });
    expect(viaApi.status).toBe(403);
    expect(await f.sessions.listForBot(a.id, 10)).toHaveLength(1);
    await Promise.all([rootMcp.close(), childMcp.close()]);
  });
});

describe('a session-bound API token is pinned to its session (Basic mode stays in its thread)', () => {
  it('reads and comments only in its own thread', async () => {
    const bot = await f.bot('pinned', 'basic');
    await f.bots.setToolAccess(bot.id, { toolMode: 'basic', allowDirectApi: true });
    const own = f.thread([['U0001', 'Mine']]);
    const other = f.thread([['U0002', 'Secret plans']], 'C0009');
    const session = await f.session({ ...bot, allowDirectApi: true }, own);
    const token = await directToken(session, { ...bot, allowDirectApi: true });

    expect((await api(`/threads/${CHANNEL}/${own}/context`, token)).status).toBe(200);
    const read = await api(`/threads/C0009/${other}/context`, token);
    expect(read.status).toBe(403);
    expect(JSON.stringify(read.body)).not.toContain('Secret plans');
    const post = await api(`/threads/C0009/${other}/comments`, token, { method: 'POST', body: { text: 'hi' } });
    expect(post.status).toBe(403);
    expect(h.slack.messages('C0009', other)).toHaveLength(1);
  });

  it('dies with its session', async () => {
    const bot = await f.bot('mortal', 'basic');
    const own = f.thread([['U0001', 'Mine']]);
    const session = await f.session({ ...bot, allowDirectApi: true }, own);
    const token = await directToken(session, { ...bot, allowDirectApi: true });
    await f.sessions.update(session.id, { status: 'done' });
    expect((await api(`/threads/${CHANNEL}/${own}/context`, token)).status).toBe(401);
  });
});

describe('Full mode stays within what the requester may see', () => {
  const PRIVATE = 'G0SECRET';
  const DM = 'D0OTHER';

  beforeAll(() => {
    h.slack.state.channels.set(PRIVATE, { id: PRIVATE, name: 'secret', is_private: true, members: ['U0002'] });
    h.slack.state.channels.set(DM, { id: DM, is_im: true, is_private: true, members: ['U0002', 'UBATON'] });
    h.slack.seedMessage({ channel: PRIVATE, user: 'U0002', text: 'the private roadmap' });
    h.slack.seedMessage({ channel: DM, user: 'U0002', text: 'my salary' });
  });

  it('refuses to read, search or post in a channel the requester is not in, and in other people’s DMs', async () => {
    const bot = await f.bot('snoop', 'full');
    const session = await f.session(bot, f.thread([['U0001', 'Find things']]));
    const mcp = await mcpClient(h, await f.mcpToken(session, bot));
    for (const channel of [PRIVATE, DM]) {
      const history = await mcp.callTool({ name: 'channel_history', arguments: { channel } });
      expect(history.isError).toBe(true);
      expect(resultText(history)).not.toMatch(/roadmap|salary/);
      const search = await mcp.callTool({ name: 'search_messages', arguments: { query: 'the', channels: [channel] } });
      expect(resultText(search)).not.toMatch(/roadmap|salary/);
      const post = await mcp.callTool({ name: 'post_message', arguments: { channel, text: 'hello' } });
      expect(post.isError).toBe(true);
    }
    const everywhere = await mcp.callTool({ name: 'search_messages', arguments: { query: 'the' } });
    expect(resultText(everywhere)).not.toMatch(/roadmap|salary/);
    expect(h.slack.messages(PRIVATE)).toHaveLength(1);
    expect(h.slack.messages(DM)).toHaveLength(1);
    await mcp.close();
  });

  it('lets the requester’s own private channel through', async () => {
    const bot = await f.bot('insider', 'full');
    const thread = f.thread([['U0002', 'Find things']]);
    const session = await f.sessions.create({
      teamId: 'T0001',
      botId: bot.id,
      channelId: CHANNEL,
      threadTs: thread,
      trigger: 'mention',
      triggerTs: thread,
      requesterId: 'U0002',
      task: 'x',
    });
    await f.sessions.update(session.id, { status: 'running' });
    const mcp = await mcpClient(h, await f.mcpToken({ ...session, status: 'running' }, bot));
    const history = await mcp.callTool({ name: 'channel_history', arguments: { channel: PRIVATE } });
    expect(resultText(history)).toContain('the private roadmap');
    await mcp.close();
  });

  it('lists only sessions the requester may see, without other people’s DMs', async () => {
    const bot = await f.bot('lister', 'full');
    await f.session(bot, f.thread([['U0001', 'visible']]));
    await f.session(bot, h.slack.seedMessage({ channel: PRIVATE, user: 'U0002', text: 'p' }).ts, 'done', PRIVATE);
    await f.session(bot, h.slack.seedMessage({ channel: DM, user: 'U0002', text: 'd' }).ts, 'done', DM);
    const session = await f.session(bot, f.thread([['U0001', 'list them']]));
    const mcp = await mcpClient(h, await f.mcpToken(session, bot));
    const listed = resultText(await mcp.callTool({ name: 'list_sessions', arguments: { limit: 50 } }));
    expect(listed).toContain(CHANNEL);
    expect(listed).not.toContain(PRIVATE);
    expect(listed).not.toContain(DM);
    await mcp.close();
  });
});

describe('the workspace cap on active sessions', () => {
  it('refuses a token past the cap, and a mention past it ends with a note in the thread', async () => {
    const bot = await fullBot('busy');
    const { token } = await f.apiToken(bot);
    const thread = f.thread([['U0001', 'Lots to do']]);
    const active = await f.sessions.countActive('T0001');
    for (let i = active; i < 8; i++) await f.session(bot, thread);

    const refused = await api('/sessions', token, {
      method: 'POST',
      body: { channel: CHANNEL, thread_ts: thread, task: 'one more' },
    });
    expect(refused).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    expect(String(refused.body.message)).toContain('8 sessions');

    const { bot: ready } = await readyBot(h, 'capped');
    const root = h.slack.seedMessage({ text: 'Please help', user: 'U0002' });
    await h.send.event(appMention({ text: '<@UBATON> capped please', thread_ts: root.ts }));
    const note = await h.slack.waitFor('chat.postMessage', (c) =>
      String(c.args.text).includes('the most Baton allows'),
    );
    expect(note.args).toMatchObject({ channel: CHANNEL, thread_ts: root.ts });
    expect(await sessionsQuery(h).waitFor(ready.id, 'failed')).toMatchObject({ providerSessionId: null });
  });
});
