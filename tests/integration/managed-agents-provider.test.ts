import Anthropic from '@anthropic-ai/sdk';
import { testSessionConfig } from '../support/session-config';
import { AnthropicClaudeApi } from '../../src/adapters/anthropic/claude-api';
import { ManagedAgentsConnection, ManagedAgentsProvider } from '../../src/adapters/anthropic/managed-agents-provider';
import type { Bot } from '../../src/domain/bots';
import type { ClaudeConnection } from '../../src/domain/claude';
import type { BatonEvent } from '../../src/domain/events';
import type { Session } from '../../src/domain/sessions';
import { isProblem, ProviderError, type StartRequest } from '../../src/ports/agent-provider';
import { FAKE_API_KEY, startFakeManagedAgents, type FakeManagedAgents } from '../fakes/managed-agents';

const MCP = { url: 'https://baton.example.com/mcp', token: 'baton-mcp-token-0123456789-do-not-leak' };
const LINEAR_URL = 'https://mcp.linear.app/mcp';

let fake: FakeManagedAgents;
let sdk: Anthropic;

beforeEach(async () => {
  // Empty interrupt ids are allowed by the real API (§2.5); nothing else in the fake depends on this.
  fake = await startFakeManagedAgents({ hasEmptyInterruptIds: true });
  sdk = new Anthropic({ apiKey: FAKE_API_KEY, baseURL: fake.url, maxRetries: 0 });
});

/** A bot's connection as the provider opens it, over the fake (no SDK retries unless asked). */
const open = (conn: ClaudeConnection, options: { maxRetries?: number } = {}) =>
  new ManagedAgentsConnection(
    new Anthropic({ apiKey: FAKE_API_KEY, baseURL: fake.url, maxRetries: options.maxRetries ?? 0, timeout: 5_000 }),
    FAKE_API_KEY,
    conn,
  );

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

const session = (id: string) => ({ id, teamId: 'T0001', createdAt: new Date(), providerState: {} }) as Session;
const BOT = { id: 'bot_abc123', name: 'reviewer', type: 'claude' } as Bot;

const request = (over: Partial<StartRequest> & { sessionId?: string } = {}): StartRequest => {
  const { sessionId = 'ses_01', ...rest } = over;
  return {
    session: session(sessionId),
    bot: BOT,
    task: 'Hello',
    guidance: '',
    config: testSessionConfig(),
    mcp: MCP,
    isRetry: false,
    ...rest,
  };
};

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
function read(
  conn: ManagedAgentsConnection,
  sid: string,
  seen: ReadonlySet<string> = new Set(),
  signal = new AbortController().signal,
) {
  const events: BatonEvent[] = [];
  const done = (async () => {
    for await (const event of conn.events(sid, { lastEventId: null, seen }, signal)) events.push(event);
  })();
  done.catch(() => undefined);
  return { events, done };
}

/** Starts a session whose task is `text` and reads its events (the task went in with the create call). */
async function turn(conn: ManagedAgentsConnection, text: string, signal?: AbortSignal) {
  const { providerSessionId: sid } = await conn.start(request({ task: text }));
  return { sid, ...read(conn, sid, new Set(), signal) };
}

const END_TURN = { kind: 'turn_ended', reason: 'end_turn' };

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe('open', () => {
  it('names what a bot lacks instead of opening a connection', async () => {
    const provider = new ManagedAgentsProvider(
      { baseURL: fake.url, maxRetries: 0 },
      { connection: async () => connection({ keyId: 'key_1' }), apiKey: async () => FAKE_API_KEY },
    );
    const opened = await provider.open('T0001', BOT);
    expect(isProblem(opened) && opened.problem).toBe(
      'reviewer has no agent or environment yet. Ask an admin to finish its Agent connection.',
    );
  });
});

describe('start', () => {
  it('puts the MCP token in a vault of its own, attaches it after the admin vaults and sends the task once', async () => {
    const bodies: string[] = [];
    const realFetch = globalThis.fetch;
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (...args) => {
      const response = await realFetch(...args);
      if (!response.headers.get('content-type')?.includes('event-stream')) bodies.push(await response.clone().text());
      return response;
    });
    const conn = await existingConnection();

    const started = await open(conn).start(request());

    const vaultId = started.state['vaultId'] ?? '';
    expect(started.providerSessionId).toMatch(/^sesn_/);
    expect(started.state['uses']).toBe('Agent: Team agent · Environment: team env');
    expect(fake.sessions.size).toBe(1);
    expect(fake.sessions.get(started.providerSessionId)).toMatchObject({
      vault_ids: [...conn.vaultIds, vaultId],
      environment_id: conn.environmentId,
      title: 'reviewer · Slack',
      metadata: { baton_session_id: 'ses_01', baton_bot_id: 'bot_abc123' },
      // Always created with the session's spending limit: Anthropic cannot add one later.
      budget: { type: 'limit', max_list_cost: { amount: '1000', currency: 'USD' } },
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
    await until(() => fake.eventsOf(started.providerSessionId).some((e) => e.type === 'user.message'));
    expect(fake.eventsOf(started.providerSessionId).filter((e) => e.type === 'user.message')).toHaveLength(1);
  });

  it('finds the session an earlier attempt made instead of making a second one, and sends nothing again', async () => {
    const conn = await managedConnection();
    const first = await open(conn).start(request());
    const again = await open(conn).start(request({ isRetry: true }));

    expect(again.providerSessionId).toBe(first.providerSessionId);
    expect(again.state['vaultId']).toBe(first.state['vaultId']);
    expect(fake.sessions.size).toBe(1);
    await until(() => fake.eventsOf(first.providerSessionId).some((e) => e.type === 'session.status_idle'));
    expect(fake.eventsOf(first.providerSessionId).filter((e) => e.type === 'user.message')).toHaveLength(1);
  });

  it('gives a session found again on a retry the new GitHub token in its repositories and its vault', async () => {
    const conn = await managedConnection();
    const github = (token: string) => ({
      token,
      mcpUrl: 'https://github-mcp.example/mcp/',
      repositories: [{ fullName: 'acme/api', url: 'https://github.com/acme/api', branch: 'develop' }],
    });
    const first = await open(conn).start(request({ github: github('ghs_first_attempt_token') }));
    const again = await open(conn).start(request({ isRetry: true, github: github('ghs_retry_token') }));

    expect(again.providerSessionId).toBe(first.providerSessionId);
    expect(again.state['repositories']).toBe('acme/api (develop)');
    const resources = fake.state.sessionResources.get(first.providerSessionId) ?? [];
    expect(resources.map((r) => r.authorizationToken)).toEqual(['ghs_retry_token']);
    const credential = fake.state.findMcpCredential([again.state['vaultId'] ?? ''], 'https://github-mcp.example/mcp/');
    expect(credential?.secretAuth['token']).toBe('ghs_retry_token');
  });

  it('removes the vault an attempt left without a session before it makes its own', async () => {
    const conn = await managedConnection();
    const orphan = await sdk.beta.vaults.create({ display_name: 'left', metadata: { baton_session_id: 'ses_01' } });
    const started = await open(conn).start(request({ isRetry: true }));
    expect(fake.vaults.has(orphan.id)).toBe(false);
    expect(fake.sessions.get(started.providerSessionId)?.vault_ids).toContain(started.state['vaultId']);
  });

  it('gives two sessions of one bot a vault each', async () => {
    const conn = open(await managedConnection());

    const first = await conn.start(request({ sessionId: 'ses_01' }));
    const second = await conn.start(request({ sessionId: 'ses_02', mcp: { ...MCP, token: 'other-token-123' } }));

    expect(first.state['vaultId']).not.toBe(second.state['vaultId']);
    expect(fake.credentialsOf(second.state['vaultId'] ?? '')[0]?.secretAuth['token']).toBe('other-token-123');
  });

  it('uses a managed agent as it is, whose Baton tools then run without asking', async () => {
    const conn = await managedConnection();
    const { events, done } = await turn(open(conn), '[scenario:tool-confirmation server=baton tool=post_reply] Reply');
    await done;

    const created = fake.requests.find((r) => r.method === 'POST' && r.path === '/v1/sessions');
    expect(created?.body).toMatchObject({ agent: conn.agentId });
    // The fake checks the session's vaults for a credential matching the server URL before the call.
    expect(events.map((e) => e.kind)).not.toContain('error');
    expect(events.find((e) => e.kind === 'step_started')).toMatchObject({
      name: 'baton.post_reply',
      server: 'baton',
      needsApproval: false,
    });
    expect(events.at(-1)).toMatchObject(END_TURN);
  });

  it("adds Baton's MCP server to an existing agent for this session only", async () => {
    const conn = await existingConnection();
    const stored = fake.agents.get(conn.agentId ?? '');

    const { providerSessionId: sid } = await open(conn).start(request());

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

    const config = testSessionConfig();
    const trusted = {
      ...config,
      mcpServers: { value: [{ name: 'linear', approval: 'trusted' as const }], source: 'bot' as const },
    };

    const { providerSessionId: sid } = await open(conn).start(request({ config: trusted }));

    expect(fake.sessions.get(sid)?.agent.tools[1]).toMatchObject({
      mcp_server_name: 'linear',
      default_config: { permission_policy: { type: 'always_allow' } },
    });
  });

  it("asks before every external tool when the channel's rule says always ask", async () => {
    const conn = await existingConnection();
    const config = testSessionConfig();
    const alwaysAsk = { ...config, mcpServers: { ...config.mcpServers, source: 'rule' as const } };

    const { providerSessionId: sid } = await open(conn).start(request({ config: alwaysAsk }));

    expect(fake.sessions.get(sid)?.agent.tools[1]).toMatchObject({
      mcp_server_name: 'linear',
      default_config: { permission_policy: { type: 'always_ask' } },
    });
  });

  it("asks before the tools of a managed agent's trusted server when the channel's rule says always ask", async () => {
    const api = new AnthropicClaudeApi({ baseURL: fake.url, maxRetries: 0 });
    const spec = {
      botId: 'bot_abc123',
      teamId: 'T0001',
      name: 'reviewer',
      model: 'claude-sonnet-4-6',
      instructions: '',
    };
    const ids = await api.syncManagedAgent(
      FAKE_API_KEY,
      { ...spec, batonMcpUrl: MCP.url, mcpServers: [{ name: 'linear', url: LINEAR_URL, isTrusted: true }] },
      { agentId: null, environmentId: null, vaultId: null },
    );
    const conn = connection({ agentId: ids.agentId, environmentId: ids.environmentId, batonVaultId: ids.vaultId });
    const config = testSessionConfig();
    const linear = [{ name: 'linear', approval: 'ask' as const }];
    const alwaysAsk = { ...config, mcpServers: { value: linear, source: 'rule' as const } };
    const policyOf = (sid: string, server: string) =>
      fake.sessions.get(sid)?.agent.tools.find((t) => t.type === 'mcp_toolset' && t.mcp_server_name === server);

    const plain = await open(conn).start(request({ sessionId: 'ses_plain' }));
    const ruled = await open(conn).start(request({ sessionId: 'ses_ruled', config: alwaysAsk }));

    expect(policyOf(plain.providerSessionId, 'linear')).toMatchObject({
      default_config: { permission_policy: { type: 'always_allow' } },
    });
    expect(policyOf(ruled.providerSessionId, 'linear')).toMatchObject({
      default_config: { permission_policy: { type: 'always_ask' } },
    });
    // Baton's own tools never ask.
    expect(policyOf(ruled.providerSessionId, 'baton')).toMatchObject({
      default_config: { permission_policy: { type: 'always_allow' } },
    });
  });

  it('raises the spending limit of a running session', async () => {
    const conn = await existingConnection();
    const provider = open(conn);
    const { providerSessionId: sid } = await provider.start(request({ sessionId: 'ses_budget' }));

    await provider.setBudget!(sid, 2500);

    expect(fake.sessions.get(sid)?.budget).toEqual({
      type: 'limit',
      max_list_cost: { amount: '2500', currency: 'USD' },
    });
  });

  it('deletes the vault it made when the session cannot be created, without retrying', async () => {
    const conn = await managedConnection();
    const vaultsBefore = [...fake.vaults.keys()];
    fake.failNext('/v1/sessions', { status: 500, method: 'POST', message: `rejected ${MCP.token}` });

    const error = await rejection(open(conn, { maxRetries: 2 }).start(request()));

    expect(error.kind).toBe('provider');
    expect(`${error.message} ${String((error.cause as Error).message)}`).not.toContain(MCP.token);
    expect([...fake.vaults.keys()]).toEqual(vaultsBefore);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/sessions')).toHaveLength(1);
  });

  it('reports an existing agent that is gone as not_found and creates nothing', async () => {
    const conn = await existingConnection();
    fake.removeRemotely(conn.agentId ?? '');
    const vaults = fake.vaults.size;

    const error = await rejection(open(conn).start(request()));

    expect(error.kind).toBe('not_found');
    expect(fake.vaults.size).toBe(vaults);
  });
});

describe('events', () => {
  it("yields a plain turn in Baton's words, from the task to the answer, then ends", async () => {
    const conn = open(await managedConnection());
    const { sid, events, done } = await turn(conn, '[scenario:plain] What is the capital of France?');
    await done;

    expect(events.map((e) => e.kind)).toEqual(['turn_started', 'message', 'usage', 'turn_ended']);
    const provided = new Set(fake.eventsOf(sid).map((e) => e.id));
    expect(events.every((e) => provided.has(e.id))).toBe(true);
    expect(events.at(-1)).toMatchObject({ ...END_TURN, answer: 'Answer to: What is the capital of France?' });
    expect(events[1]?.raw).toMatchObject({ type: 'agent.message' });
    await until(() => fake.openStreamCount(sid) === 0);
  });

  it.each([
    ['allow', undefined, 'Done: Created ENG-42.'],
    ['deny', 'Not in this sprint', 'Understood, I did not call create_issue.'],
  ] as const)('keeps going past an approval until the user answers (%s)', async (answer, denyMessage, closing) => {
    const conn = open(await existingConnection());
    const { sid, events, done } = await turn(conn, '[scenario:tool-confirmation] File the login bug');
    let isDone = false;
    void done.then(() => (isDone = true));

    await until(() => events.some((e) => e.kind === 'approval_needed'));
    const blocked = events.find((e) => e.kind === 'approval_needed');
    const [stepId] = blocked?.kind === 'approval_needed' ? blocked.stepIds : [];
    expect(events.find((e) => e.kind === 'step_started')).toMatchObject({
      stepId,
      name: 'linear.create_issue',
      needsApproval: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isDone).toBe(false);
    await conn.confirmTool(sid, stepId ?? '', answer === 'allow', denyMessage);
    await done;

    expect(events.find((e) => e.kind === 'approval_answered')).toMatchObject({
      stepId,
      isAllowed: answer === 'allow',
    });
    expect(events.at(-1)).toMatchObject({ ...END_TURN, answer: closing });
  });

  it('throws a stream error when the connection drops, and a second call yields only what was missed', async () => {
    const conn = open(await managedConnection());
    const first = await turn(conn, '[scenario:stream-cut] Summarise the thread');

    const error = await rejection(first.done);
    expect(error.kind).toBe('stream');
    expect(first.events.some((e) => e.kind === 'turn_ended')).toBe(false);

    const seen = new Set(first.events.map((e) => e.id));
    const second = read(conn, first.sid, seen);
    await second.done;

    expect(second.events.every((e) => !seen.has(e.id))).toBe(true);
    expect(second.events.at(-1)).toMatchObject(END_TURN);
    expect(second.events.at(-1)).toMatchObject({ answer: expect.any(String) });
  });

  it('finishes after the history when the session already rests at the end of a turn', async () => {
    const conn = open(await managedConnection());
    const first = await turn(conn, 'Hello');
    await first.done;
    const all = new Set(first.events.map((e) => e.id));

    const replay = read(conn, first.sid);
    await replay.done;
    const nothingNew = read(conn, first.sid, all);
    await nothingNew.done;

    expect(replay.events.map((e) => e.id)).toEqual([...all]);
    expect(nothingNew.events).toEqual([]);
    await until(() => fake.openStreamCount(first.sid) === 0);
  });

  it('ends an interrupted turn without an answer', async () => {
    const conn = open(await managedConnection());
    const { sid, events, done } = await turn(conn, '[scenario:slow delayMs=200] Take your time');

    await until(() => events.some((e) => e.kind === 'turn_started'));
    await conn.interrupt(sid);
    await done;

    expect(events.at(-1)).toMatchObject({ kind: 'turn_ended', answer: null });
    expect(events.map((e) => e.kind)).not.toContain('message');
  });

  it('stops quietly and closes the stream when the signal aborts', async () => {
    const conn = open(await managedConnection());
    const controller = new AbortController();
    const { sid, events, done } = await turn(conn, '[scenario:slow delayMs=200] Take your time', controller.signal);

    await until(() => events.length > 0);
    controller.abort();
    await done;

    await until(() => fake.openStreamCount(sid) === 0);
    expect(events.map((e) => e.kind)).not.toContain('turn_ended');
  });
});

describe('send', () => {
  it('sends a message exactly once even when the API fails with a 500', async () => {
    const conn = await managedConnection();
    const { providerSessionId: sid } = await open(conn).start(request());
    await until(() => fake.eventsOf(sid).some((e) => e.type === 'session.status_idle'));
    const before = fake.eventsOf(sid).length;
    fake.failNext(`/v1/sessions/${sid}/events`, { status: 500, method: 'POST' });

    const error = await rejection(open(conn, { maxRetries: 2 }).send(sid, 'Hello'));

    expect(error.kind).toBe('provider');
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/v1/sessions/${sid}/events`);
    expect(posts).toHaveLength(1);
    expect(fake.eventsOf(sid)).toHaveLength(before);
  });
});

describe('cleanup', () => {
  it("interrupts a running session, deletes the session's vault and is safe to call twice", async () => {
    const conn = await managedConnection();
    const connection = open(conn);
    const { providerSessionId: sid, state } = await connection.start(
      request({ task: '[scenario:slow delayMs=300] Take your time' }),
    );
    await until(() => fake.sessions.get(sid)?.status === 'running');

    await connection.cleanup(sid, state);
    await connection.cleanup(sid, state);
    await connection.cleanup(null, {});

    expect(fake.vaults.has(state['vaultId'] ?? '')).toBe(false);
    expect(fake.vaults.has(conn.batonVaultId ?? '')).toBe(true);
    expect(fake.eventsOf(sid).map((e) => e.type)).toContain('user.interrupt');
  });
});
