import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHarness, type Harness } from '../support/harness';
import { baseUrl, CHANNEL, mcpClient, resultText, toolsFixture } from './tools-helpers';

let h: Harness;
let f: ReturnType<typeof toolsFixture>;

beforeAll(async () => {
  h = await startHarness();
  f = toolsFixture(h);
});
afterAll(() => h.stop());

const BASIC = ['get_task_context', 'post_comment', 'update_status'];
const FULL = [
  ...BASIC,
  'channel_history',
  'search_messages',
  'post_message',
  'lookup_user',
  'list_sessions',
  'start_session',
];

async function seededSession(name: string, mode: 'basic' | 'full', icon: string | null = null) {
  const bot = await f.bot(name, mode, icon);
  const threadTs = f.thread([
    ['U0001', `Please fix the login bug <@U0002> found`],
    ['U0002', 'It happens on Safari only'],
  ]);
  const session = await f.session(bot, threadTs);
  return { bot, threadTs, session, token: await f.mcpToken(session, bot) };
}

describe('tools per mode', () => {
  it('lists only the basic tools to a basic token and every tool to a full one', async () => {
    const basic = await mcpClient(h, (await seededSession('lister', 'basic')).token);
    const full = await mcpClient(h, (await seededSession('lister-full', 'full')).token);
    expect((await basic.listTools()).tools.map((t) => t.name)).toEqual(BASIC);
    expect((await full.listTools()).tools.map((t) => t.name)).toEqual(FULL);
    await Promise.all([basic.close(), full.close()]);
  });

  it('refuses a full tool to a basic token, with a clear error and an audit row', async () => {
    const { token, session } = await seededSession('modest', 'basic');
    const client = await mcpClient(h, token);
    const before = h.slack.callsTo('chat.postMessage').length;
    const result = await client.callTool({ name: 'post_message', arguments: { channel: 'C0002', text: 'hi' } });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('needs Full Baton mode');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(before);
    const [row] = await f.audit('mcp.post_message');
    expect(row).toMatchObject({ target: session.id, details: expect.objectContaining({ outcome: 'refused' }) });
    await client.close();
  });
});

describe('basic tools', () => {
  it('get_task_context reads the thread in order, by display name, marked untrusted, with guidance outside', async () => {
    const { bot, token, threadTs, session } = await seededSession('reader', 'basic');
    await f.setGuidance(bot.id, 'Answer in French.', 'Link the ticket.');
    const usersBefore = h.slack.callsTo('users.info').length;
    const client = await mcpClient(h, token);
    const text = resultText(await client.callTool({ name: 'get_task_context', arguments: {} }));
    // Admins' guidance is trusted and comes first; everything people wrote in Slack stays inside the wrapper.
    expect(text).toMatch(/<untrusted_user_content source="slack">[\s\S]*<\/untrusted_user_content>$/);
    const wrapper = text.indexOf('<untrusted_user_content');
    expect(text.indexOf('Answer in French.')).toBeLessThan(wrapper);
    expect(text.indexOf('Link the ticket.')).toBeLessThan(wrapper);
    const ada = text.indexOf('ada: Please fix the login bug @bob found');
    const bob = text.indexOf('bob: It happens on Safari only');
    expect(ada).toBeGreaterThan(0);
    expect(bob).toBeGreaterThan(ada);
    expect(text).toContain(`archives/${CHANNEL}/p${threadTs.replace('.', '')}`);
    expect(text).toContain(`Session: ${session.id}`);
    expect(text).toContain('## Channel guidance (from a Baton admin)\n\nLink the ticket.');
    expect(text).toContain('## Bot guidance (from a Baton admin)\n\nAnswer in French.');
    // Two people, each looked up once for the whole request.
    expect(h.slack.callsTo('users.info').length - usersBefore).toBe(2);
    await client.close();
  });

  it('get_task_context called again asks Slack only for the replies since its last read', async () => {
    const { token, threadTs } = await seededSession('rereader', 'basic');
    const client = await mcpClient(h, token);
    const replies = () => h.slack.callsTo('conversations.replies').filter((c) => c.args.ts === threadTs);
    await client.callTool({ name: 'get_task_context', arguments: {} });
    const lastRead = h.slack.messages(CHANNEL, threadTs).at(-1)?.ts;
    h.slack.seedMessage({ channel: CHANNEL, user: 'U0001', text: 'Also on Firefox', thread_ts: threadTs });
    const text = resultText(await client.callTool({ name: 'get_task_context', arguments: {} }));
    expect(text).toContain('It happens on Safari only');
    expect(text).toContain('Also on Firefox');
    expect(replies().map((c) => c.args.oldest)).toEqual([undefined, lastRead]);
    await client.close();
  });

  it('post_comment replies in the thread as the bot, and refuses over-long text', async () => {
    const { token, threadTs, session } = await seededSession('commenter', 'basic', ':robot_face:');
    const client = await mcpClient(h, token);
    const ok = await client.callTool({ name: 'post_comment', arguments: { text: 'Found it: *cookies*.' } });
    expect(ok.isError).toBeFalsy();
    // Agent Markdown renders as Slack formatting: a markdown block, with mrkdwn for notifications.
    const post = await h.slack.waitFor('chat.postMessage', (c) => c.args.text === 'Found it: _cookies_.');
    expect(post.args).toMatchObject({
      blocks: [{ type: 'markdown', text: 'Found it: *cookies*.' }],
      channel: CHANNEL,
      thread_ts: threadTs,
      username: 'commenter bot',
      icon_emoji: ':robot_face:',
    });
    const tooLong = await client.callTool({ name: 'post_comment', arguments: { text: 'x'.repeat(12_001) } });
    expect(tooLong.isError).toBe(true);
    expect(resultText(tooLong)).toContain('at most 12,000 characters');
    const rows = await f.audit('mcp.post_comment');
    const mine = rows.filter((r) => r.target === session.id).map((r) => r.details.outcome);
    expect(mine.sort()).toEqual(['invalid', 'ok']);
    expect(JSON.stringify(rows)).not.toContain('cookies');
    await client.close();
  });

  it('update_status stores the status and moves the reaction on the trigger message', async () => {
    const { token, threadTs, session } = await seededSession('reporter', 'basic');
    const client = await mcpClient(h, token);
    await client.callTool({ name: 'update_status', arguments: { status: 'in_progress', reason: 'Reading logs' } });
    expect(await f.sessions.get(session.id)).toMatchObject({
      agentStatus: 'in_progress',
      agentStatusReason: 'Reading logs',
    });
    const reacted = await h.slack.waitFor('reactions.add', (c) => c.args.timestamp === threadTs);
    expect(reacted.args).toMatchObject({ channel: CHANNEL, name: 'eyes' });
    // The client's session object is stale; a fresh request sees the stored status and swaps the reaction.
    await client.callTool({ name: 'update_status', arguments: { status: 'done' } });
    await h.slack.waitFor('reactions.remove', (c) => c.args.timestamp === threadTs && c.args.name === 'eyes');
    await h.slack.waitFor('reactions.add', (c) => c.args.timestamp === threadTs && c.args.name === 'white_check_mark');
    expect((await f.sessions.get(session.id))?.agentStatus).toBe('done');
    const bad = await client.callTool({ name: 'update_status', arguments: { status: 'finished' } });
    expect(bad.isError).toBe(true);
    await client.close();
  });

  it("never reaches another session's thread, whatever the arguments say", async () => {
    const mine = await seededSession('loyal', 'basic');
    const other = await seededSession('other', 'basic');
    const client = await mcpClient(h, mine.token);
    const redirect = { channel: CHANNEL, thread_ts: other.threadTs, session_id: other.session.id };
    const text = resultText(await client.callTool({ name: 'get_task_context', arguments: redirect }));
    expect(text).toContain(`Session: ${mine.session.id}`);
    expect(text).not.toContain(other.session.id);
    await client.callTool({ name: 'post_comment', arguments: { text: 'only mine', ...redirect } });
    const post = await h.slack.waitFor('chat.postMessage', (c) => c.args.text === 'only mine');
    expect(post.args.thread_ts).toBe(mine.threadTs);
    await client.close();
  });
});

describe('full tools', () => {
  it('reads, searches and posts only in channels Baton is a member of', async () => {
    const { token } = await seededSession('scout', 'full', 'https://example.com/scout.png');
    h.slack.state.channels.set('C0009', { id: 'C0009', name: 'secret', is_member: false });
    h.slack.seedMessage({ channel: 'C0002', user: 'U0001', text: 'The deploy failed again' });
    h.slack.seedMessage({ channel: 'C0002', user: 'U0002', text: 'Rolling back now' });
    h.slack.seedMessage({ channel: 'C0009', user: 'U0002', text: 'deploy failed in secret' });
    const client = await mcpClient(h, token);
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await client.callTool({ name, arguments: args });
      return { isError: Boolean(result.isError), text: resultText(result) };
    };

    const history = await call('channel_history', { channel: 'C0002', limit: 10 });
    expect(history.text.indexOf('ada: The deploy failed again')).toBeLessThan(
      history.text.indexOf('bob: Rolling back'),
    );
    expect(history.text).toContain('untrusted_user_content');
    expect(await call('channel_history', { channel: 'C0009' })).toMatchObject({ isError: true });

    const found = await call('search_messages', { query: 'DEPLOY failed' });
    expect(found.text).toContain('C0002 [');
    expect(found.text).not.toContain('failed in secret');
    const narrowed = await call('search_messages', { query: 'rolling', channels: ['C0002'] });
    expect(narrowed.text).toMatch(/1 of 1 matches/);

    expect(await call('post_message', { channel: 'C0002', text: 'Heads up' })).toMatchObject({ isError: false });
    const post = await h.slack.waitFor('chat.postMessage', (c) => c.args.text === 'Heads up');
    expect(post.args).toMatchObject({
      channel: 'C0002',
      username: 'scout bot',
      icon_url: 'https://example.com/scout.png',
    });
    // The post goes through the writer; Slack's refusal still reaches the agent by name.
    h.slack.failNext('chat.postMessage', { error: 'is_archived' });
    const archived = await call('post_message', { channel: 'C0002', text: 'Too late' });
    expect(archived).toMatchObject({ isError: true });
    expect(archived.text).toContain('Slack refused the request (is_archived)');
    const refused = await call('post_message', { channel: 'C0009', text: 'psst' });
    expect(refused).toMatchObject({ isError: true });
    expect(refused.text).toContain('not a member');

    expect((await call('lookup_user', { user: '<@U0002>' })).text).toContain('Bob Member (U0002)');
    await client.close();
  });

  it('lists its sessions and hands work to another bot, but not to itself', async () => {
    const { token, session, threadTs } = await seededSession('planner', 'full');
    const helper = await f.bot('builder', 'basic');
    const client = await mcpClient(h, token);
    expect(resultText(await client.callTool({ name: 'list_sessions', arguments: {} }))).toContain(session.id);
    const args = { channel: CHANNEL, thread_ts: threadTs, task: 'Write the fix' };
    const self = await client.callTool({ name: 'start_session', arguments: { ...args, bot: 'planner' } });
    expect(resultText(self)).toContain('starts another bot');
    const started = await client.callTool({ name: 'start_session', arguments: { ...args, bot: 'Builder' } });
    expect(started.isError).toBeFalsy();
    const [created] = await f.sessions.listForBot(helper.id, 1);
    expect(created).toMatchObject({ channelId: CHANNEL, threadTs, task: 'Write the fix', requesterId: 'U0001' });
    expect(resultText(started)).toContain(created?.id);
    await client.close();
  });
});

describe('authentication', () => {
  it('answers 401 invalid_token to a missing, unknown or revoked token, and 405 to GET', async () => {
    const { token, session } = await seededSession('guarded', 'basic');
    const wrong = `btn_mcp_${'A'.repeat(43)}`;
    for (const header of [undefined, `Bearer ${wrong}`, 'Basic abc']) {
      const response = await fetch(`${baseUrl(h)}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(header ? { authorization: header } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('invalid_token');
      expect(await response.json()).toMatchObject({ error: 'invalid_token' });
    }
    await expect(mcpClient(h, wrong)).rejects.toMatchObject({ code: 401 });
    expect((await fetch(`${baseUrl(h)}/mcp`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(405);
    await f.tokens.revokeForSession(session.id);
    await expect(mcpClient(h, token)).rejects.toBeInstanceOf(StreamableHTTPError);
  });

  it('stops a token the moment its session ends', async () => {
    const { token, session } = await seededSession('mortal', 'basic');
    const client = await mcpClient(h, token);
    expect((await client.listTools()).tools.length).toBe(3);
    await f.sessions.finish(session.id, 'done', null);
    await expect(client.listTools()).rejects.toMatchObject({ code: 401 });
    await expect(mcpClient(h, token)).rejects.toMatchObject({ code: 401 });
  });
});

describe('rate limit', () => {
  it('refuses the 61st call in a minute and says when to retry', async () => {
    const { token } = await seededSession('chatty', 'basic');
    const client = await mcpClient(h, token);
    // Invalid calls count too: the limit protects Baton, whatever the arguments.
    const calls = Array.from({ length: 60 }, () =>
      client.callTool({ name: 'update_status', arguments: { status: 'nope' } }),
    );
    const results = await Promise.all(calls);
    expect(results.every((r) => resultText(r).includes('Invalid arguments'))).toBe(true);
    const refused = await client.callTool({ name: 'get_task_context', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(resultText(refused)).toMatch(/Too many calls: .* Try again in \d+ seconds\./);
    await client.close();
  });
});
