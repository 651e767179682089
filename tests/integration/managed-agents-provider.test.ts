import Anthropic from '@anthropic-ai/sdk';
import { AnthropicClaudeApi } from '../../src/adapters/anthropic/claude-api';
import { ManagedAgentsProvider } from '../../src/adapters/anthropic/managed-agents-provider';
import type { ClaudeConnection } from '../../src/domain/claude';
import { ProviderError, type ProviderEvent, type StartSessionRequest } from '../../src/ports/agent-provider';
import { FAKE_API_KEY, startFakeManagedAgents, type FakeManagedAgents } from '../fakes/managed-agents';

const MCP = { url: 'https://baton.example.com/mcp', token: 'baton-mcp-token-0123456789-do-not-leak' };
const LINEAR_URL = 'https://mcp.linear.app/mcp';

let fake: FakeManagedAgents;
let provider: ManagedAgentsProvider;
let sdk: Anthropic;

beforeEach(async () => {
  // Empty interrupt ids are allowed by the real API (§2.5); nothing else in the fake depends on this.
  fake = await startFakeManagedAgents({ hasEmptyInterruptIds: true });
  provider = new ManagedAgentsProvider({ baseURL: fake.url, maxRetries: 0, timeoutMs: 5_000 });
  sdk = new Anthropic({ apiKey: FAKE_API_KEY, baseURL: fake.url, maxRetries: 0 });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await fake.close();
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const connection = (over: Partial<ClaudeConnection>): ClaudeConnection => ({
  botId: 'bot_abc123',
  keyId: null,
  mode: 'managed',
  agentId: null,
  environmentId: null,
  vaultIds: [],
  batonVaultId: null,
  model: null,
  instructions: null,
  guidance: '',
  skills: [],
  syncedAt: null,
  ...over,
});

const request = (conn: ClaudeConnection, over: Partial<StartSessionRequest> = {}): StartSessionRequest => ({
  sessionId: 'ses_01',
  teamId: 'T0001',
  botId: 'bot_abc123',
  botName: 'reviewer',
  apiKey: FAKE_API_KEY,
  connection: conn,
  mcp: MCP,
  ...over,
});

/** A bot in managed mode, synced with Baton's MCP server the way the app will sync it. */
async function managedConnection(): Promise<ClaudeConnection> {
  const api = new AnthropicClaudeApi({ baseURL: fake.url, maxRetries: 0 });
  const ids = await api.syncManagedAgent(
    FAKE_API_KEY,
    { botId: 'bot_abc123', teamId: 'T0001', name: 'reviewer', model: 'claude-sonnet-4-6', instructions: 'Help.' },
    { agentId: null, environmentId: null, vaultId: null },
  );
  const withMcp = await api.syncManagedAgent(
    FAKE_API_KEY,
    {
      botId: 'bot_abc123',
      teamId: 'T0001',
      name: 'reviewer',
      model: 'claude-sonnet-4-6',
      instructions: 'Help.',
      batonMcpUrl: MCP.url,
    },
    ids,
  );
  return connection({ agentId: withMcp.agentId, environmentId: withMcp.environmentId, batonVaultId: withMcp.vaultId });
}

/** The admin's own agent: Linear behind always_ask, a tuned built-in toolset, a custom tool and their own vault. */
async function existingConnection(): Promise<ClaudeConnection> {
  const env = await sdk.beta.environments.create({ name: 'team env' });
  const agent = await sdk.beta.agents.create({
    name: 'Team agent',
    model: 'claude-sonnet-4-6',
    mcp_servers: [{ type: 'url', name: 'linear', url: LINEAR_URL }],
    tools: [
      {
        type: 'agent_toolset_20260401',
        configs: [
          { name: 'bash', permission_policy: { type: 'always_ask' } },
          { name: 'web_fetch', allowed_domains: ['docs.example.com'] },
        ],
      },
      { type: 'mcp_toolset', mcp_server_name: 'linear' },
      { type: 'custom', name: 'lookup', description: 'Looks up a ticket.', input_schema: { type: 'object' } },
    ],
  });
  const vault = await sdk.beta.vaults.create({ display_name: 'Team secrets' });
  await sdk.beta.vaults.credentials.create(vault.id, {
    auth: { type: 'static_bearer', mcp_server_url: LINEAR_URL, token: 'lin_secret' },
  });
  return connection({ mode: 'existing', agentId: agent.id, environmentId: env.id, vaultIds: [vault.id] });
}

/** Reads an `events` iterable in the background, as the session runner will. */
function read(sid: string, seen: ReadonlySet<string> = new Set(), signal = new AbortController().signal) {
  const events: ProviderEvent[] = [];
  const done = (async () => {
    for await (const event of provider.events(FAKE_API_KEY, sid, seen, signal)) events.push(event);
  })();
  done.catch(() => undefined);
  return { events, done };
}

/** Opens the event stream first, then sends, so the turn's first events are not left to the history listing. */
async function turn(sid: string, text: string, signal?: AbortSignal) {
  const reader = read(sid, new Set(), signal);
  await until(() => fake.openStreamCount(sid) > 0);
  await provider.sendMessage(FAKE_API_KEY, sid, text);
  return reader;
}

const isIdle = (stop: string) => (e: ProviderEvent) =>
  e.type === 'session.status_idle' && (e.payload['stop_reason'] as { type: string }).type === stop;

const END_TURN = { type: 'session.status_idle', payload: { stop_reason: { type: 'end_turn' } } };

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe('start', () => {
  it('puts the MCP token in a vault of its own and attaches it after the admin vaults', async () => {
    const bodies: string[] = [];
    const realFetch = globalThis.fetch;
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (...args) => {
      const response = await realFetch(...args);
      if (!response.headers.get('content-type')?.includes('event-stream')) bodies.push(await response.clone().text());
      return response;
    });
    const conn = await existingConnection();

    const started = await provider.start(request(conn));

    const vaultId = started.state['vaultId'] ?? '';
    expect(started.providerSessionId).toMatch(/^sesn_/);
    expect(fake.sessions.size).toBe(1);
    expect(fake.sessions.get(started.providerSessionId)).toMatchObject({
      vault_ids: [...conn.vaultIds, vaultId],
      environment_id: conn.environmentId,
      title: 'reviewer · Slack',
      metadata: { baton_session_id: 'ses_01', baton_bot_id: 'bot_abc123' },
    });
    expect(fake.vaults.get(vaultId)).toMatchObject({
      display_name: 'Baton session ses_01',
      metadata: { baton_session_id: 'ses_01' },
    });
    expect(fake.credentialsOf(vaultId).map((c) => c.secretAuth)).toEqual([
      { type: 'static_bearer', mcp_server_url: MCP.url, token: MCP.token },
    ]);
    const carriers = fake.requests.filter((r) => JSON.stringify(r.body ?? '').includes(MCP.token));
    expect(carriers.map((r) => r.path)).toEqual([`/v1/vaults/${vaultId}/credentials`]);
    expect(bodies.length).toBeGreaterThan(3);
    expect(bodies.filter((b) => b.includes(MCP.token))).toEqual([]);
    expect(JSON.stringify(started)).not.toContain(MCP.token);
  });

  it('gives two sessions of one bot a vault each', async () => {
    const conn = await managedConnection();

    const first = await provider.start(request(conn, { sessionId: 'ses_01' }));
    const second = await provider.start(
      request(conn, { sessionId: 'ses_02', mcp: { ...MCP, token: 'other-token-123' } }),
    );

    expect(first.state['vaultId']).not.toBe(second.state['vaultId']);
    expect(fake.credentialsOf(second.state['vaultId'] ?? '')[0]?.secretAuth['token']).toBe('other-token-123');
  });

  it('uses a managed agent as it is, whose Baton tools then run without asking', async () => {
    const conn = await managedConnection();
    const { providerSessionId: sid } = await provider.start(request(conn));

    const created = fake.requests.find((r) => r.method === 'POST' && r.path === '/v1/sessions');
    expect(created?.body).toMatchObject({ agent: conn.agentId });
    const { events, done } = await turn(sid, '[scenario:tool-confirmation server=baton tool=post_reply] Reply');
    await done;

    // The fake checks the session's vaults for a credential matching the server URL before the call.
    expect(events.map((e) => e.type)).not.toContain('session.error');
    expect(events.find((e) => e.type === 'agent.mcp_tool_use')?.payload).toMatchObject({
      mcp_server_name: 'baton',
      evaluated_permission: 'allow',
    });
    expect(events.at(-1)).toMatchObject(END_TURN);
  });

  it("adds Baton's MCP server to an existing agent for this session only", async () => {
    const conn = await existingConnection();
    const stored = fake.agents.get(conn.agentId ?? '');

    const { providerSessionId: sid } = await provider.start(request(conn));

    expect(fake.agents.get(conn.agentId ?? '')).toEqual(stored);
    expect(fake.requests.find((r) => r.path === '/v1/sessions')?.body).toMatchObject({
      agent: { type: 'agent_with_overrides', id: conn.agentId, version: 1 },
    });
    const agent = fake.sessions.get(sid)?.agent;
    expect(agent?.version).toBe(1);
    expect(agent?.mcp_servers).toEqual([
      { type: 'url', name: 'linear', url: LINEAR_URL },
      { type: 'url', name: 'baton', url: MCP.url },
    ]);
    expect(agent?.tools).toEqual([
      stored?.tools[0],
      stored?.tools[1],
      stored?.tools[2],
      {
        type: 'mcp_toolset',
        mcp_server_name: 'baton',
        default_config: { enabled: true, permission_policy: { type: 'always_allow' } },
        configs: [],
      },
    ]);
    expect(stored?.tools[1]).toMatchObject({ default_config: { permission_policy: { type: 'always_ask' } } });
  });

  it('lets the tools of MCP servers the admin trusts run without asking', async () => {
    const conn = await existingConnection();

    const { providerSessionId: sid } = await provider.start(request(conn, { trustedMcpServers: ['linear'] }));

    expect(fake.sessions.get(sid)?.agent.tools[1]).toMatchObject({
      mcp_server_name: 'linear',
      default_config: { permission_policy: { type: 'always_allow' } },
    });
  });

  it('deletes the vault it made when the session cannot be created, without retrying', async () => {
    const retrying = new ManagedAgentsProvider({ baseURL: fake.url, maxRetries: 2 });
    const conn = await managedConnection();
    const vaultsBefore = [...fake.vaults.keys()];
    fake.failNext('/v1/sessions', { status: 500, method: 'POST', message: `rejected ${MCP.token}` });

    const error = await rejection(retrying.start(request(conn)));

    expect(error.kind).toBe('provider');
    expect(`${error.message} ${String((error.cause as Error).message)}`).not.toContain(MCP.token);
    expect([...fake.vaults.keys()]).toEqual(vaultsBefore);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/sessions')).toHaveLength(1);
  });

  it('reports an existing agent that is gone as not_found and creates nothing', async () => {
    const conn = await existingConnection();
    fake.removeRemotely(conn.agentId ?? '');
    const vaults = fake.vaults.size;

    const error = await rejection(provider.start(request(conn)));

    expect(error.kind).toBe('not_found');
    expect(fake.vaults.size).toBe(vaults);
  });
});

describe('events', () => {
  it('yields a plain turn from the user message echo to end_turn, then ends', async () => {
    const { providerSessionId: sid } = await provider.start(request(await managedConnection()));

    const { events, done } = await turn(sid, '[scenario:plain] What is the capital of France?');
    await done;

    expect(events.map((e) => e.type)).toEqual([
      'user.message',
      'session.status_running',
      'span.model_request_start',
      'agent.thinking',
      'agent.message',
      'span.model_request_end',
      'session.status_idle',
    ]);
    expect(events.map((e) => e.id)).toEqual(fake.eventsOf(sid).map((e) => e.id));
    expect(events[4]?.payload).toMatchObject({
      content: [{ type: 'text', text: 'Answer to: What is the capital of France?' }],
    });
    await until(() => fake.openStreamCount(sid) === 0);
  });

  it.each([
    ['allow', undefined, 'Done: Created ENG-42.'],
    ['deny', 'Not in this sprint', 'Understood, I did not call create_issue.'],
  ] as const)('keeps going past requires_action until the user answers (%s)', async (answer, denyMessage, closing) => {
    const { providerSessionId: sid } = await provider.start(request(await existingConnection()));
    const { events, done } = await turn(sid, '[scenario:tool-confirmation] File the login bug');
    let isDone = false;
    void done.then(() => (isDone = true));

    await until(() => events.some(isIdle('requires_action')));
    const blocked = events.find(isIdle('requires_action'));
    const [toolUseId] = (blocked?.payload['stop_reason'] as { event_ids: string[] }).event_ids;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isDone).toBe(false);
    await provider.confirmTool(FAKE_API_KEY, sid, toolUseId ?? '', answer === 'allow', denyMessage);
    await done;

    expect(events.find((e) => e.type === 'user.tool_confirmation')?.payload).toMatchObject({
      tool_use_id: toolUseId,
      result: answer,
      ...(denyMessage ? { deny_message: denyMessage } : {}),
    });
    expect(events.filter((e) => e.type === 'agent.message').at(-1)?.payload).toMatchObject({
      content: [{ text: closing }],
    });
    expect(events.at(-1)).toMatchObject(END_TURN);
  });

  it('throws a stream error when the connection drops, and a second call yields only what was missed', async () => {
    const { providerSessionId: sid } = await provider.start(request(await managedConnection()));
    const first = await turn(sid, '[scenario:stream-cut] Summarise the thread');

    const error = await rejection(first.done);
    expect(error.kind).toBe('stream');
    expect(first.events.some((e) => e.type === 'session.status_idle')).toBe(false);

    const seen = new Set(first.events.map((e) => e.id));
    const second = read(sid, seen);
    await second.done;

    expect(second.events.every((e) => !seen.has(e.id))).toBe(true);
    expect([...first.events, ...second.events].map((e) => e.id)).toEqual(fake.eventsOf(sid).map((e) => e.id));
    expect(second.events.at(-1)).toMatchObject(END_TURN);
  });

  it('finishes after the history when the session already rests at the end of a turn', async () => {
    const { providerSessionId: sid } = await provider.start(request(await managedConnection()));
    await (
      await turn(sid, 'Hello')
    ).done;
    const all = new Set(fake.eventsOf(sid).map((e) => e.id));

    const replay = read(sid);
    await replay.done;
    const nothingNew = read(sid, all);
    await nothingNew.done;

    expect(replay.events.map((e) => e.id)).toEqual([...all]);
    expect(nothingNew.events).toEqual([]);
    await until(() => fake.openStreamCount(sid) === 0);
  });

  it('ends an interrupted turn at its end_turn, passing on the echo even without an id', async () => {
    const { providerSessionId: sid } = await provider.start(request(await managedConnection()));
    const { events, done } = await turn(sid, '[scenario:slow delayMs=200] Take your time');

    await until(() => events.some((e) => e.type === 'session.status_running'));
    await provider.interrupt(FAKE_API_KEY, sid);
    await done;

    expect(events.find((e) => e.type === 'user.interrupt')).toMatchObject({ id: '' });
    expect(events.at(-1)).toMatchObject(END_TURN);
    expect(events.map((e) => e.type)).not.toContain('agent.message');
  });

  it('stops quietly and closes the stream when the signal aborts', async () => {
    const { providerSessionId: sid } = await provider.start(request(await managedConnection()));
    const controller = new AbortController();
    const { events, done } = await turn(sid, '[scenario:slow delayMs=200] Take your time', controller.signal);

    await until(() => events.length > 0);
    controller.abort();
    await done;

    await until(() => fake.openStreamCount(sid) === 0);
    expect(events.map((e) => e.type)).not.toContain('session.status_idle');
  });
});

describe('sendMessage', () => {
  it('sends a message exactly once even when the API fails with a 500', async () => {
    const retrying = new ManagedAgentsProvider({ baseURL: fake.url, maxRetries: 2 });
    const { providerSessionId: sid } = await provider.start(request(await managedConnection()));
    fake.failNext(`/v1/sessions/${sid}/events`, { status: 500, method: 'POST' });

    const error = await rejection(retrying.sendMessage(FAKE_API_KEY, sid, 'Hello'));

    expect(error.kind).toBe('provider');
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/v1/sessions/${sid}/events`);
    expect(posts).toHaveLength(1);
    expect(fake.eventsOf(sid)).toEqual([]);
  });
});

describe('cleanup', () => {
  it("deletes the session's vault and is safe to call twice", async () => {
    const conn = await managedConnection();
    const { state } = await provider.start(request(conn));

    await provider.cleanup(FAKE_API_KEY, state);
    await provider.cleanup(FAKE_API_KEY, state);
    await provider.cleanup(FAKE_API_KEY, {});

    expect(fake.vaults.has(state['vaultId'] ?? '')).toBe(false);
    expect(fake.vaults.has(conn.batonVaultId ?? '')).toBe(true);
  });
});
