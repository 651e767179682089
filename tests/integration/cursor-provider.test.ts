import { Redis } from 'ioredis';
import { testSessionConfig } from '../support/session-config';
import { CursorApi } from '../../src/adapters/cursor/cursor-api';
import { agentIdFor, CursorProvider } from '../../src/adapters/cursor/cursor-provider';
import { RedisFollowUpQueue } from '../../src/adapters/cursor/follow-ups';
import type { Bot } from '../../src/domain/bots';
import type { CursorConnection } from '../../src/domain/cursor';
import type { BatonEvent } from '../../src/domain/events';
import type { Session } from '../../src/domain/sessions';
import { ProviderError } from '../../src/ports/agent-provider';
import type { ProviderConnection } from '../../src/ports/agent-provider';
import { startFakeCursor, type FakeCursor } from '../fakes/cursor';
import { deleteRedisPrefix, testRedisUrl, uniqueRedisPrefix } from '../support/redis';

const KEYS = {
  key_valid_000000000000000001: 'valid',
  key_plan_0000000000000000002: 'plan_required',
  key_nomcp_000000000000000003: 'no_mcp',
} as const;
let cursor: FakeCursor;
let redis: Redis;
const prefix = uniqueRedisPrefix();
let n = 0;

const bot = { id: 'bot_1', name: 'coder', displayName: 'Coder', type: 'cursor' } as Bot;
const connection = (overrides: Partial<CursorConnection> = {}): CursorConnection => ({
  botId: bot.id,
  keyId: 'key_1',
  repository: 'https://github.com/acme/api',
  branch: 'main',
  model: null,
  isAutoCreatePr: true,
  guidance: '',
  ...overrides,
});

async function open(key: string = 'key_valid_000000000000000001', overrides: Partial<CursorConnection> = {}) {
  const provider = new CursorProvider({
    api: new CursorApi({ baseUrl: cursor.url }),
    settings: { get: async () => connection(overrides), revealKey: async () => key },
    followUps: new RedisFollowUpQueue(redis, prefix),
    pollMs: 10,
  });
  const opened = await provider.open('T1', bot);
  if ('problem' in opened) throw new Error(opened.problem);
  return opened;
}

const session = () => ({ id: `ses_${++n}`, task: 'fix it' }) as Session;
const startRequest = (s: Session) => ({
  session: s,
  bot,
  task: 'Guidance.\n<untrusted>thread</untrusted>',
  guidance: 'Guidance.',
  config: testSessionConfig(),
  mcp: { url: 'http://baton.test/mcp', token: 'btn_mcp_secret' },
  isRetry: false,
});

async function collect(c: ProviderConnection, id: string, seen = new Set<string>(), lastEventId: string | null = null) {
  const out: BatonEvent[] = [];
  for await (const e of c.events(id, { lastEventId, seen }, new AbortController().signal)) out.push(e);
  return out;
}

beforeAll(async () => {
  cursor = await startFakeCursor({ ...KEYS });
  redis = new Redis(testRedisUrl);
});
afterAll(async () => {
  await cursor.close();
  redis.disconnect();
  await deleteRedisPrefix(prefix);
});

describe('Cursor provider', () => {
  it('launches one agent per session with the task, repository, PR choice and Baton MCP server, even when retried', async () => {
    const c = await open();
    const s = session();
    const first = await c.start(startRequest(s));
    const again = await c.start(startRequest(s));
    expect(again.providerSessionId).toBe(first.providerSessionId);
    expect(first.providerSessionId).toBe(agentIdFor(s.id));
    const agent = cursor.agents.get(first.providerSessionId)!;
    expect(agent.runs).toHaveLength(1);
    expect(agent.body).toMatchObject({
      prompt: { text: expect.stringContaining('<untrusted>') },
      repos: [{ url: 'https://github.com/acme/api', startingRef: 'main' }],
      autoCreatePR: true,
      mcpServers: [{ name: 'baton', headers: { Authorization: 'Bearer btn_mcp_secret' } }],
    });
  });

  it('maps the run stream to Baton events and ends the turn with the summary, branch and pull request', async () => {
    const c = await open();
    cursor.nextRun({
      events: [
        { event: 'assistant', data: { text: 'Looking at the build.' } },
        { event: 'tool_call', data: { callId: 't1', name: 'read_file', status: 'running', summary: 'ci.yml' } },
        { event: 'tool_call', data: { callId: 't1', name: 'read_file', status: 'completed' } },
        { event: 'heartbeat', data: {} },
      ],
      result: 'Fixed the build.',
      branch: 'cursor/fix-build',
      prUrl: 'https://github.com/acme/api/pull/7',
    });
    const { providerSessionId } = await c.start(startRequest(session()));
    const events = await collect(c, providerSessionId);
    expect(events.map((e) => e.kind)).toEqual([
      'turn_started',
      'message',
      'step_started',
      'step_finished',
      'artifact',
      'artifact',
      'turn_ended',
    ]);
    expect(events[2]).toMatchObject({ name: 'Read file', summary: 'ci.yml', stepId: 't1' });
    expect(events.at(-1)).toMatchObject({ reason: 'end_turn', answer: 'Fixed the build.' });
    expect(events.filter((e) => e.kind === 'artifact')).toEqual([
      expect.objectContaining({ type: 'branch', name: 'cursor/fix-build' }),
      expect.objectContaining({ type: 'pull_request', url: 'https://github.com/acme/api/pull/7' }),
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('resumes with Last-Event-ID after a restart and skips what was stored', async () => {
    const c = await open();
    cursor.nextRun({ events: [{ event: 'assistant', data: { text: 'one' } }], isHeld: true });
    const { providerSessionId } = await c.start(startRequest(session()));
    const abort = new AbortController();
    const first: BatonEvent[] = [];
    for await (const e of c.events(providerSessionId, { lastEventId: null, seen: new Set() }, abort.signal)) {
      first.push(e);
      if (e.kind === 'message') break;
    }
    cursor.release(providerSessionId);
    const seen = new Set(first.map((e) => e.id));
    const rest = await collect(c, providerSessionId, seen, first.at(-1)!.id);
    expect(rest.map((e) => e.kind)).toEqual(['turn_ended']);
    const streams = cursor.requests.filter((r) => r.path.endsWith('/stream'));
    expect(streams.at(-1)!.headers['last-event-id']).toBe(first.at(-1)!.id.split(':')[1]);
  });

  it('polls the run when its stream has expired', async () => {
    const c = await open();
    cursor.nextRun({ isHeld: true, result: 'Polled answer.' });
    const { providerSessionId } = await c.start(startRequest(session()));
    cursor.expireStreams();
    const done = collect(c, providerSessionId);
    await new Promise((resolve) => setTimeout(resolve, 50));
    cursor.release(providerSessionId);
    const events = await done;
    cursor.restoreStreams();
    expect(events.at(-1)).toMatchObject({ kind: 'turn_ended', answer: 'Polled answer.' });
  });

  it('queues a follow-up while a run is active and sends it as the next run when that ends', async () => {
    const c = await open();
    cursor.nextRun({ isHeld: true, result: 'first' });
    const { providerSessionId } = await c.start(startRequest(session()));
    await c.send(providerSessionId, 'and also the tests');
    expect(cursor.agents.get(providerSessionId)!.runs).toHaveLength(1);
    const done = collect(c, providerSessionId);
    await new Promise((resolve) => setTimeout(resolve, 50));
    cursor.release(providerSessionId);
    const events = await done;
    const runs = cursor.agents.get(providerSessionId)!.runs;
    expect(runs.map((r) => r.prompt)).toEqual([expect.any(String), 'and also the tests']);
    expect(events.filter((e) => e.kind === 'turn_ended').map((e) => (e as { answer: string }).answer)).toEqual([
      'first',
      'Done.',
    ]);
  });

  it('cancels the active run on Stop and ends the turn as interrupted', async () => {
    const c = await open();
    cursor.nextRun({ isHeld: true });
    const { providerSessionId } = await c.start(startRequest(session()));
    await c.interrupt(providerSessionId);
    await c.interrupt(providerSessionId);
    const events = await collect(c, providerSessionId);
    expect(events.at(-1)).toMatchObject({ kind: 'turn_ended', reason: 'interrupted' });
    await c.cleanup(providerSessionId, {});
    await c.cleanup(providerSessionId, {});
    expect(cursor.agents.get(providerSessionId)!.status).toBe('ARCHIVED');
  });

  it('explains plan, repository, usage and rate limits with what to do', async () => {
    const plan = await open('key_plan_0000000000000000002');
    await expect(plan.start(startRequest(session()))).rejects.toThrow(/plan does not include Cloud Agents/);
    const repo = await open(undefined, { repository: 'https://github.com/acme/secret' });
    await expect(repo.start(startRequest(session()))).rejects.toThrow(/cannot access \*acme\/secret\*.*connect GitHub/);
    const c = await open();
    cursor.failNext('POST /v1/agents', 429, 'rate_limit_exceeded', 30);
    const limited = c.start(startRequest(session()));
    await expect(limited).rejects.toBeInstanceOf(ProviderError);
    await expect(limited).rejects.toThrow(/about 30 s/);
    cursor.failNext('POST /v1/agents', 402, 'usage_limit_exceeded');
    await expect(c.start(startRequest(session()))).rejects.toThrow(/usage limit/);
  });

  it('runs without Baton tools when the key may not attach MCP servers', async () => {
    const c = await open('key_nomcp_000000000000000003');
    const started = await c.start(startRequest(session()));
    expect(started.state.mcp).toBe('off');
    expect(cursor.agents.get(started.providerSessionId)!.body.mcpServers).toBeUndefined();
  });
});
