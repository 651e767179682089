import Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsStreamSessionEvents } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import {
  FAKE_API_KEY,
  FAKE_NO_ACCESS_KEY,
  startFakeManagedAgents,
  type FakeManagedAgents,
} from '../fakes/managed-agents';

type StreamEvent = BetaManagedAgentsStreamSessionEvents;

let fake: FakeManagedAgents;
let client: Anthropic;

beforeEach(async () => {
  fake = await startFakeManagedAgents();
  client = new Anthropic({ apiKey: FAKE_API_KEY, baseURL: fake.url, maxRetries: 0 });
});

afterEach(async () => {
  await fake.close();
});

const LINEAR_URL = 'https://mcp.linear.app/mcp';

async function createSession(opts: { withLinear?: boolean } = {}): Promise<string> {
  const env = await client.beta.environments.create({ name: `env-${Math.random()}` });
  const agent = await client.beta.agents.create({
    name: 'Baton',
    model: 'claude-sonnet-4-6',
    ...(opts.withLinear
      ? {
          mcp_servers: [{ type: 'url', name: 'linear', url: LINEAR_URL }],
          tools: [{ type: 'mcp_toolset', mcp_server_name: 'linear' }],
        }
      : {}),
  });
  const vault = await client.beta.vaults.create({ display_name: 'U123' });
  if (opts.withLinear) {
    await client.beta.vaults.credentials.create(vault.id, {
      auth: { type: 'static_bearer', mcp_server_url: LINEAR_URL, token: 'lin_secret' },
    });
  }
  const session = await client.beta.sessions.create({ agent: agent.id, environment_id: env.id, vault_ids: [vault.id] });
  return session.id;
}

/**
 * The §7.5 loop: read live events, dedupe by id, stop at an idle (end of turn or requires_action).
 * Takes an iterator rather than the stream: leaving a `for await` over an SDK stream aborts it.
 */
async function readUntilIdle(
  events: AsyncIterator<StreamEvent>,
  seen: Map<string, StreamEvent>,
  all: StreamEvent[] = [],
): Promise<StreamEvent> {
  for (let next = await events.next(); !next.done; next = await events.next()) {
    const ev = next.value;
    all.push(ev);
    if ('id' in ev && ev.id) {
      if (seen.has(ev.id)) continue;
      seen.set(ev.id, ev);
    }
    if (ev.type === 'session.status_idle' || ev.type === 'session.status_terminated') return ev;
  }
  throw new Error('stream ended before the turn did');
}

const say = (text: string) => ({
  events: [{ type: 'user.message' as const, content: [{ type: 'text' as const, text }] }],
});

describe('fake Managed Agents API', () => {
  it('stores agents, environments and vaults and answers with the real shapes', async () => {
    const env = await client.beta.environments.create({ name: 'baton' });
    const agent = await client.beta.agents.create({
      name: 'Baton',
      model: 'claude-sonnet-4-6',
      mcp_servers: [{ type: 'url', name: 'linear', url: LINEAR_URL }],
      tools: [{ type: 'agent_toolset_20260401' }, { type: 'mcp_toolset', mcp_server_name: 'linear' }],
    });
    const vault = await client.beta.vaults.create({ display_name: 'U123' });
    const credential = await client.beta.vaults.credentials.create(vault.id, {
      auth: { type: 'static_bearer', mcp_server_url: LINEAR_URL, token: 'lin_secret' },
    });

    expect(await client.beta.environments.retrieve(env.id)).toEqual(env);
    const stored = await client.beta.agents.retrieve(agent.id);
    expect(stored.model).toMatchObject({ id: 'claude-sonnet-4-6' });
    expect(stored.version).toBe(1);
    expect(stored.tools[1]).toMatchObject({
      type: 'mcp_toolset',
      default_config: { permission_policy: { type: 'always_ask' } },
    });
    expect((await client.beta.vaults.retrieve(vault.id)).display_name).toBe('U123');
    expect(
      JSON.stringify(await client.beta.vaults.credentials.retrieve(credential.id, { vault_id: vault.id })),
    ).not.toContain('lin_secret');
    expect(fake.credentialsOf(vault.id)[0]?.secretAuth['token']).toBe('lin_secret');

    const updated = await client.beta.agents.update(agent.id, { version: 1, system: 'Be brief.' });
    expect(updated.version).toBe(2);
    await expect(client.beta.agents.update(agent.id, { version: 1, system: 'x' })).rejects.toBeInstanceOf(
      Anthropic.ConflictError,
    );
  });

  it('rejects what the real API rejects', async () => {
    await expect(client.beta.agents.create({ name: 'no model' } as never)).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
    const env = await client.beta.environments.create({ name: 'e' });
    await expect(client.beta.sessions.create({ environment_id: env.id } as never)).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
    const err = await client.beta.sessions.retrieve('sesn_missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect((err as InstanceType<typeof Anthropic.NotFoundError>).requestID).toMatch(/^req_/);
  });

  it('answers 401 authentication_error for an unknown key, sent as Bearer or x-api-key', async () => {
    const stranger = new Anthropic({ apiKey: 'sk-wrong', baseURL: fake.url, maxRetries: 0 });
    await expect(stranger.beta.agents.list()).rejects.toBeInstanceOf(Anthropic.AuthenticationError);

    const viaHeader = await fetch(`${fake.url}/v1/models`, { headers: { 'x-api-key': FAKE_API_KEY } });
    expect(viaHeader.status).toBe(200);
    const bad = await fetch(`${fake.url}/v1/models`, { headers: { 'x-api-key': 'sk-wrong' } });
    expect(await bad.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(bad.headers.get('request-id')).toMatch(/^req_/);
  });

  it('answers 403 permission_error on Managed Agents paths for a key without access', async () => {
    const limited = new Anthropic({ apiKey: FAKE_NO_ACCESS_KEY, baseURL: fake.url, maxRetries: 0 });
    await expect(limited.beta.sessions.list()).rejects.toBeInstanceOf(Anthropic.PermissionDeniedError);
    await expect(limited.models.list()).resolves.toBeDefined();
  });

  it('pages the models list with has_more, first_id and last_id', async () => {
    const first = await client.models.list({ limit: 2 });
    expect(first.data.map((m) => m.id)).toEqual(['claude-opus-5', 'claude-sonnet-5']);
    expect(first.has_more).toBe(true);
    expect(first.last_id).toBe('claude-sonnet-5');

    const all: string[] = [];
    for await (const model of client.beta.models.list({ limit: 2 })) all.push(model.id);
    expect(all).toHaveLength(5);
    const pageRequests = fake.requests.filter((r) => r.path === '/v1/models').slice(1);
    expect(pageRequests.map((r) => r.query['after_id'])).toEqual([undefined, 'claude-sonnet-5', 'claude-sonnet-4-6']);
  });

  it('runs a plain turn through the open-stream-first client loop', async () => {
    const sid = await createSession();
    const stream = await client.beta.sessions.events.stream(sid, { event_deltas: ['agent.message'] });
    const seen = new Map<string, StreamEvent>();
    for await (const ev of client.beta.sessions.events.list(sid)) seen.set(ev.id, ev);
    expect(seen.size).toBe(0);

    await client.beta.sessions.events.send(sid, say('[scenario:plain] What is the capital of France?'), {
      maxRetries: 0,
    });
    const all: StreamEvent[] = [];
    const idle = await readUntilIdle(stream[Symbol.asyncIterator](), seen, all);
    stream.controller.abort();

    expect(idle).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    expect(all.map((e) => e.type)).toEqual([
      'user.message',
      'session.status_running',
      'span.model_request_start',
      'agent.thinking',
      'event_start',
      'event_delta',
      'agent.message',
      'span.model_request_end',
      'session.status_idle',
    ]);
    const answer = [...seen.values()].find((e) => e.type === 'agent.message');
    expect(answer).toMatchObject({ content: [{ type: 'text', text: 'Answer to: What is the capital of France?' }] });
    expect((await client.beta.sessions.retrieve(sid)).status).toBe('idle');
    expect(fake.eventsOf(sid).map((e) => e.id)).toEqual([...seen.keys()]);

    // A new stream replays nothing: its first event is the next message's echo.
    const later = await client.beta.sessions.events.stream(sid);
    await client.beta.sessions.events.send(sid, say('And of Spain?'));
    const first = await later[Symbol.asyncIterator]().next();
    later.controller.abort();
    expect(first.value).toMatchObject({ type: 'user.message', content: [{ type: 'text', text: 'And of Spain?' }] });
  });

  it.each([
    ['allow', false, 'Done: Created ENG-42.'],
    ['deny', true, 'Understood, I did not call create_issue.'],
  ] as const)('blocks an always_ask MCP call until the user answers %s', async (result, isError, closing) => {
    const sid = await createSession({ withLinear: true });
    const stream = await client.beta.sessions.events.stream(sid);
    const events = stream[Symbol.asyncIterator]();
    const seen = new Map<string, StreamEvent>();
    await client.beta.sessions.events.send(sid, say('[scenario:tool-confirmation] File the login bug'));

    const blocked = await readUntilIdle(events, seen);
    if (blocked.type !== 'session.status_idle' || blocked.stop_reason.type !== 'requires_action')
      throw new Error('expected requires_action');
    const [toolUseId] = blocked.stop_reason.event_ids;
    expect(seen.get(toolUseId ?? '')).toMatchObject({
      type: 'agent.mcp_tool_use',
      mcp_server_name: 'linear',
      evaluated_permission: 'ask',
    });

    await client.beta.sessions.events.send(sid, {
      events: [
        {
          type: 'user.tool_confirmation',
          tool_use_id: toolUseId ?? '',
          result,
          ...(result === 'deny' ? { deny_message: 'Not now' } : {}),
        },
      ],
    });
    const done = await readUntilIdle(events, seen);
    stream.controller.abort();

    expect(done).toMatchObject({ stop_reason: { type: 'end_turn' } });
    const received = [...seen.values()];
    expect(received.find((e) => e.type === 'agent.mcp_tool_result')).toMatchObject({
      mcp_tool_use_id: toolUseId,
      is_error: isError,
    });
    expect(received.filter((e) => e.type === 'agent.message').at(-1)).toMatchObject({ content: [{ text: closing }] });
    await expect(
      client.beta.sessions.events.send(sid, {
        events: [{ type: 'user.tool_confirmation', tool_use_id: toolUseId ?? '', result: 'allow' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('lets a client recover a cut stream by reopening it and listing past events', async () => {
    const sid = await createSession();
    const seen = new Map<string, StreamEvent>();
    const first = await client.beta.sessions.events.stream(sid);
    await client.beta.sessions.events.send(sid, say('[scenario:stream-cut] Summarise the thread'));
    await expect(readUntilIdle(first[Symbol.asyncIterator](), seen)).rejects.toThrow();
    expect([...seen.values()].some((e) => e.type === 'session.status_idle')).toBe(false);

    const second = await client.beta.sessions.events.stream(sid);
    let last: StreamEvent | undefined;
    for await (const ev of client.beta.sessions.events.list(sid)) {
      if (!seen.has(ev.id)) seen.set(ev.id, ev);
      last = ev;
    }
    const idle =
      last?.type === 'session.status_idle' ? last : await readUntilIdle(second[Symbol.asyncIterator](), seen);
    second.controller.abort();

    expect(idle).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    const texts = [...seen.values()].flatMap((e) => (e.type === 'agent.message' ? e.content : []));
    expect(texts).toEqual([
      { type: 'text', text: 'First part, before the cut.' },
      { type: 'text', text: 'Second part, after the cut.' },
    ]);
    expect([...seen.keys()]).toEqual(fake.eventsOf(sid).map((e) => e.id));
  });
});
