import { ACTION } from '../../src/views/ids';
import { blockActions, selectedOption, slashCommand } from '../support/slack-requests';
import { startHarness, type Harness } from '../support/harness';
import { baseUrl, CHANNEL, toolsFixture } from './tools-helpers';

let h: Harness;
let f: ReturnType<typeof toolsFixture>;

beforeAll(async () => {
  h = await startHarness();
  f = toolsFixture(h);
});
afterAll(() => h.stop());

async function api(path: string, token: string | undefined, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${baseUrl(h)}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(token !== undefined ? { authorization: token.startsWith('btn_') ? `Bearer ${token}` : token } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

const text = (value: unknown) => JSON.stringify(value);
const pathOf = (url: unknown) => new URL(String(url)).pathname;
const responseUrlOf = (payload: object) => pathOf((payload as { response_url?: string }).response_url);

describe('REST API', () => {
  it('reads a thread and comments in it as the bot with a good token', async () => {
    const bot = await f.bot('rest', 'basic', ':gear:');
    const { token } = await f.apiToken(bot);
    const threadTs = f.thread([
      ['U0001', 'What broke?'],
      ['U0002', 'The cache'],
    ]);
    const reply = h.slack.messages(CHANNEL, threadTs)[1];
    const context = await api(`/threads/${CHANNEL}/${reply?.ts}/context`, token);
    expect(context.status).toBe(200);
    expect(context.body).toMatchObject({ channel: CHANNEL, thread_ts: threadTs, untrusted: true, session: null });
    expect((context.body.messages as Array<{ author: string; text: string }>).map((m) => [m.author, m.text])).toEqual([
      ['ada', 'What broke?'],
      ['bob', 'The cache'],
    ]);

    const posted = await api(`/threads/${CHANNEL}/${threadTs}/comments`, token, {
      method: 'POST',
      body: { text: 'Cleared the cache.' },
    });
    expect(posted).toMatchObject({ status: 201, body: { ok: true, thread_ts: threadTs } });
    const post = await h.slack.waitFor('chat.postMessage', (c) => c.args.text === 'Cleared the cache.');
    expect(post.args).toMatchObject({
      channel: CHANNEL,
      thread_ts: threadTs,
      username: 'rest bot',
      icon_emoji: ':gear:',
    });
    const [row] = await f.audit('api.post_comment');
    expect(row).toMatchObject({ actorId: bot.id, details: expect.objectContaining({ outcome: 'ok', via: 'api' }) });
    expect(text(row)).not.toContain('Cleared');
  });

  it('answers 401 to missing, malformed, unknown, revoked and MCP tokens', async () => {
    const bot = await f.bot('locked', 'basic');
    const { token, id } = await f.apiToken(bot);
    const session = await f.session(bot, f.thread([['U0001', 'x']]));
    const mcp = await f.mcpToken(session, bot);
    const path = `/threads/${CHANNEL}/1.1/context`;
    for (const bad of [undefined, 'Bearer', `Token ${token}`, `btn_pat_${'B'.repeat(43)}`, mcp]) {
      const response = await api(path, bad);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'unauthorized' });
      expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    }
    expect((await api(path, token)).status).toBe(404);
    await f.tokens.revoke('T0001', id);
    expect((await api(path, token)).status).toBe(401);
  });

  it('validates input with clear 400s and answers 404 for unknown endpoints', async () => {
    const bot = await f.bot('strict', 'basic');
    const { token } = await f.apiToken(bot);
    const empty = await api(`/threads/${CHANNEL}/1.1/comments`, token, { method: 'POST', body: { text: ' ' } });
    expect(empty).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(empty.body.message).toContain('The comment is empty.');
    const badChannel = await api('/threads/general/1.1/context', token);
    expect(badChannel.body.message).toContain('Use a channel id such as C0123ABCD.');
    expect((await api('/nothing', token)).status).toBe(404);
    expect((await api('/sessions', token, { method: 'DELETE' })).status).toBe(405);
  });

  it('keeps full-mode endpoints behind the bot’s current tool mode (403, then allowed)', async () => {
    const bot = await f.bot('grower', 'basic');
    const { token } = await f.apiToken(bot);
    const refused = await api('/users/U0002', token);
    expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    await f.bots.setToolAccess(bot.id, { toolMode: 'full', allowDirectApi: false });
    expect(await api('/users/U0002', token)).toMatchObject({ status: 200, body: { id: 'U0002', name: 'bob' } });
    h.slack.seedMessage({ channel: 'C0003', user: 'U0001', text: 'release at noon' });
    const history = await api('/channels/C0003/history?limit=5', token);
    expect((history.body.messages as Array<{ text: string }>).map((m) => m.text)).toEqual(['release at noon']);
    const search = await api('/search?query=noon&channels=C0003', token);
    expect(search.body).toMatchObject({ total: 1 });
    const message = await api('/channels/C0003/messages', token, { method: 'POST', body: { text: 'Shipped' } });
    expect(message).toMatchObject({ status: 201, body: { channel: 'C0003' } });
    const threadTs = f.thread([['U0001', 'Please review']]);
    const started = await api('/sessions', token, {
      method: 'POST',
      body: { channel: CHANNEL, thread_ts: threadTs, task: 'Review it' },
    });
    expect(started.status).toBe(201);
    const listed = await api('/sessions?limit=5', token);
    expect((listed.body.sessions as Array<{ id: string }>).map((s) => s.id)).toContain(started.body.session_id);
  });

  it('answers 429 with Retry-After past 60 calls a minute', async () => {
    const bot = await f.bot('hasty', 'basic');
    const { token } = await f.apiToken(bot);
    const path = `/threads/${CHANNEL}/not-a-ts/context`;
    const statuses = await Promise.all(Array.from({ length: 60 }, async () => (await api(path, token)).status));
    expect(new Set(statuses)).toEqual(new Set([400]));
    const limited = await api(path, token);
    expect(limited).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('/baton tokens', () => {
  it('creates a token shown exactly once, lists it masked, and revokes it', async () => {
    const bot = await f.bot('mybot', 'basic');
    const command = slashCommand({ text: 'tokens mybot' });
    await h.send.command(command);
    const list = await h.slack.waitFor('response_url', (c) => c.path === pathOf(command.response_url));
    expect(text(list.args)).toContain('*mybot* has no API tokens');
    expect(text(list.args)).toContain(ACTION.createToken);

    const create = blockActions({
      action_id: ACTION.createToken,
      action: selectedOption(`${bot.id}/90`, 'Expires in 90 days'),
    });
    await h.send.interaction(create);
    const created = await h.slack.waitFor('response_url', (c) => c.path === responseUrlOf(create));
    const token = /btn_pat_[A-Za-z0-9_-]{43}/.exec(text(created.args))?.[0] ?? '';
    expect(token).not.toBe('');
    expect((await api(`/threads/${CHANNEL}/1.1/context`, token)).status).toBe(404);

    const again = slashCommand({ text: 'tokens MyBot' });
    await h.send.command(again);
    const relisted = await h.slack.waitFor('response_url', (c) => c.path === pathOf(again.response_url));
    expect(text(relisted.args)).toContain(`btn_pat_…${token.slice(-4)}`);
    expect(text(relisted.args)).toContain('last used');
    expect(text(relisted.args)).toContain('expires <!date^');
    const [listed] = await f.tokens.list(bot.id);
    const ninetyDays = Date.now() + 90 * 86_400_000;
    expect(Math.abs((listed?.expiresAt?.getTime() ?? 0) - ninetyDays)).toBeLessThan(60_000);

    const [record] = await f.tokens.list(bot.id);
    const revoke = blockActions({ action_id: ACTION.revokeToken, value: record?.id ?? '' });
    await h.send.interaction(revoke);
    const after = await h.slack.waitFor('response_url', (c) => c.path === responseUrlOf(revoke));
    expect(text(after.args)).toContain('*mybot* has no API tokens');
    expect((await api(`/threads/${CHANNEL}/1.1/context`, token)).status).toBe(401);

    // The plaintext went to Slack once, and nowhere else: not the audit log, not a later list.
    expect(h.slack.calls.filter((c) => text(c.args).includes(token))).toHaveLength(1);
    expect(text(await f.audit('token.'))).not.toContain(token);
  });

  it('creates a token that never expires when chosen, and says so in the list', async () => {
    const bot = await f.bot('forever', 'basic');
    const create = blockActions({
      action_id: ACTION.createToken,
      action: selectedOption(`${bot.id}/never`, 'Never expires'),
    });
    await h.send.interaction(create);
    const created = await h.slack.waitFor('response_url', (c) => c.path === responseUrlOf(create));
    expect(text(created.args)).toContain('never expires');
    const [record] = await f.tokens.list(bot.id);
    expect(record?.expiresAt).toBeNull();
  });

  it('refuses a token past its expiry with an error that says so', async () => {
    const bot = await f.bot('expiring', 'basic');
    const { token } = await f.tokens.create({
      kind: 'api',
      teamId: 'T0001',
      botId: bot.id,
      scope: 'basic',
      label: 'old',
      createdBy: 'U0001',
      expiresAt: new Date(Date.now() - 60_000),
    });
    const refused = await api(`/threads/${CHANNEL}/1.1/context`, token);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: 'token_expired' });
    expect(text(refused.body)).toContain('/baton tokens');
    // An unknown token still gets the plain answer, which tells nothing about other tokens.
    const unknown = await api(`/threads/${CHANNEL}/1.1/context`, `btn_pat_${'x'.repeat(43)}`);
    expect(unknown.body).toMatchObject({ error: 'unauthorized' });
  });

  it('refuses non-admins and names the missing bot', async () => {
    const denied = slashCommand({ text: 'tokens mybot', user_id: 'U0002' });
    await h.send.command(denied);
    const answer = await h.slack.waitFor('response_url', (c) => c.path === pathOf(denied.response_url));
    expect(text(answer.args)).toContain('Only Baton admins');
    const missing = slashCommand({ text: 'tokens ghost' });
    await h.send.command(missing);
    const none = await h.slack.waitFor('response_url', (c) => c.path === pathOf(missing.response_url));
    expect(text(none.args)).toContain('There is no bot named *ghost*');
  });
});
