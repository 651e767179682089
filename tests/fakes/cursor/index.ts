import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake treats a key: a working key, or one of the account problems Cursor reports. */
export type FakeKeyKind = 'valid' | 'plan_required' | 'usage_limit' | 'no_mcp' | 'no_repositories';

export interface FakeRunScript {
  /** Events the run emits before it ends (event name and JSON data), in order. */
  events?: { event: string; data: Record<string, unknown> }[];
  /** The final reply (the run's `result`). */
  result?: string;
  /** Ends the run with ERROR and this error code instead. */
  errorCode?: string;
  /** Keeps the run RUNNING after its events until `release` (or `cancel`). */
  isHeld?: boolean;
  branch?: string;
  prUrl?: string;
}

interface FakeEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

export interface FakeRun {
  id: string;
  agentId: string;
  status: 'CREATING' | 'RUNNING' | 'FINISHED' | 'ERROR' | 'CANCELLED' | 'EXPIRED';
  prompt: string;
  mcpServers: unknown[] | undefined;
  events: FakeEvent[];
  result: string | null;
  git: { branches: { repoUrl: string; branch: string; prUrl: string | null }[] } | null;
  error: { code: string; message: string } | null;
  script: FakeRunScript;
}

export interface FakeAgent {
  id: string;
  key: string;
  name: string;
  body: Record<string, unknown>;
  status: 'ACTIVE' | 'ARCHIVED';
  runs: FakeRun[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeCursor {
  url: string;
  agents: Map<string, FakeAgent>;
  requests: RecordedRequest[];
  /** The script the next run of any agent plays (then the default again). */
  nextRun(script: FakeRunScript): void;
  /** Ends a held run with its result. */
  release(agentId: string): void;
  /** Every open stream and every later stream request answers 410 stream_expired until `restoreStreams`. */
  expireStreams(): void;
  restoreStreams(): void;
  /** Answers the next request to `path` (e.g. `POST /v1/agents`) with this status and error code. */
  failNext(route: string, status: number, code: string, retryAfterS?: number): void;
  close(): Promise<void>;
}

const MODELS = [
  { id: 'claude-4-sonnet', displayName: 'Claude 4 Sonnet' },
  { id: 'gpt-5', displayName: 'GPT-5' },
];
const REPOSITORIES = [
  { url: 'https://github.com/acme/api', name: 'acme/api', defaultBranch: 'main' },
  { url: 'https://github.com/acme/web', name: 'acme/web', defaultBranch: 'develop' },
];
const ERROR_STATUS: Record<string, number> = {
  plan_required: 403,
  repository_access: 403,
  usage_limit_exceeded: 402,
  rate_limit_exceeded: 429,
  mcp_not_allowed: 403,
};

/**
 * A local Cursor Cloud Agents API (v1): agents and their runs, each run's SSE stream with event ids, resuming with
 * Last-Event-ID, expiry (410 stream_expired), cancel, models, repositories and Cursor's error codes. Keys it does
 * not know get 401, as Cursor does.
 */
export async function startFakeCursor(keys: Record<string, FakeKeyKind>): Promise<FakeCursor> {
  const agents = new Map<string, FakeAgent>();
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const failures = new Map<string, { status: number; code: string; retryAfterS?: number }>();
  const openStreams = new Set<ServerResponse>();
  let script: FakeRunScript | undefined;
  let isExpired = false;
  let seq = 0;
  const notify = () => {
    for (const wake of [...waiters]) wake();
  };

  const push = (run: FakeRun, event: string, data: Record<string, unknown>) => {
    run.events.push({ id: `evt-${++seq}`, event, data });
    notify();
  };

  const finish = (run: FakeRun) => {
    if (run.status !== 'RUNNING') return;
    const s = run.script;
    if (s.errorCode) {
      run.status = 'ERROR';
      run.error = { code: s.errorCode, message: `Run failed: ${s.errorCode}` };
      push(run, 'error', { code: s.errorCode, message: run.error.message });
    } else {
      run.status = 'FINISHED';
      run.result = s.result ?? 'Done.';
      const agent = agents.get(run.agentId)!;
      const repos = (agent.body.repos as { url: string }[] | undefined) ?? [];
      if (repos[0] && s.branch) {
        run.git = { branches: [{ repoUrl: repos[0].url, branch: s.branch, prUrl: s.prUrl ?? null }] };
      }
      push(run, 'result', { text: run.result });
    }
    push(run, 'status', { status: run.status });
  };

  const startRun = (agent: FakeAgent, prompt: string, mcpServers: unknown[] | undefined): FakeRun => {
    const run: FakeRun = {
      id: `run-${randomUUID()}`,
      agentId: agent.id,
      status: 'RUNNING',
      prompt,
      mcpServers,
      events: [],
      result: null,
      git: null,
      error: null,
      script: script ?? { result: 'Done.' },
    };
    script = undefined;
    agent.runs.push(run);
    push(run, 'status', { status: 'RUNNING' });
    for (const e of run.script.events ?? []) push(run, e.event, e.data);
    if (!run.script.isHeld) setImmediate(() => finish(run));
    return run;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string, retryAfterS?: number) =>
    send(res, status, { error: { code, message } }, retryAfterS ? { 'retry-after': String(retryAfterS) } : {});

  const publicRun = (r: FakeRun) => ({
    id: r.id,
    agentId: r.agentId,
    status: r.status,
    result: r.result,
    git: r.git,
    error: r.error,
  });
  const publicAgent = (a: FakeAgent) => ({
    id: a.id,
    name: a.name,
    status: a.status,
    url: `https://cursor.com/agents/${a.id}`,
    latestRunId: a.runs.at(-1)?.id ?? null,
  });

  async function stream(req: IncomingMessage, res: ServerResponse, run: FakeRun) {
    if (isExpired) return fail(res, 410, 'stream_expired', 'The stream of this run has expired.');
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-cursor-stream-retention-seconds': '3600',
    });
    openStreams.add(res);
    const lastId = req.headers['last-event-id'];
    let index = lastId ? run.events.findIndex((e) => e.id === lastId) + 1 : 0;
    let isClosed = false;
    res.on('close', () => {
      isClosed = true;
      openStreams.delete(res);
      notify();
    });
    while (!isClosed) {
      while (index < run.events.length) {
        const e = run.events[index++]!;
        res.write(`id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
      }
      if (run.status !== 'RUNNING' && index >= run.events.length) {
        res.write(`event: done\ndata: {}\n\n`);
        res.end();
        return;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

    const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const key = auth ? Buffer.from(auth, 'base64').toString('utf8').replace(/:$/, '') : undefined;
    const kind = key ? keys[key] : undefined;
    if (!key || !kind) return fail(res, 401, 'unauthorized', 'Invalid API key');
    const route = `${req.method} ${path.replace(/(bc|run)-[0-9a-f-]+/g, ':id')}`;
    const injected = failures.get(route);
    if (injected) {
      failures.delete(route);
      return fail(res, injected.status, injected.code, `Injected ${injected.code}`, injected.retryAfterS);
    }

    if (route === 'GET /v1/me') return send(res, 200, { apiKeyName: 'Baton key', userEmail: 'dev@acme.test' });
    if (route === 'GET /v1/models') {
      if (kind === 'plan_required') return fail(res, 403, 'plan_required', 'Cloud Agents need a paid plan.');
      return send(res, 200, { items: MODELS });
    }
    if (route === 'GET /v1/repositories') {
      return send(res, 200, { items: kind === 'no_repositories' ? [] : REPOSITORIES });
    }
    if (route === 'POST /v1/agents') {
      if (kind === 'plan_required') return fail(res, 403, 'plan_required', 'Cloud Agents need a paid plan.');
      if (kind === 'usage_limit') return fail(res, 402, 'usage_limit_exceeded', 'Usage limit reached.');
      const id = String(body.agentId ?? `bc-${randomUUID()}`);
      if (agents.has(id)) return fail(res, 409, 'agent_id_conflict', 'An agent with this id exists.');
      if (kind === 'no_mcp' && Array.isArray(body.mcpServers) && body.mcpServers.length > 0) {
        return fail(res, 403, 'mcp_not_allowed', 'MCP servers are not enabled for this team.');
      }
      const repos = (body.repos as { url: string }[] | undefined) ?? [];
      const unknownRepo = repos.find((r) => !REPOSITORIES.some((known) => known.url === r.url));
      if (unknownRepo) return fail(res, 403, 'repository_access', `No access to ${unknownRepo.url}.`);
      const prompt = (body.prompt as { text?: string } | undefined)?.text;
      if (!prompt) return fail(res, 400, 'invalid_request', 'prompt.text is required');
      const agent: FakeAgent = { id, key, name: String(body.name ?? ''), body, status: 'ACTIVE', runs: [] };
      agents.set(id, agent);
      const run = startRun(agent, prompt, body.mcpServers as unknown[] | undefined);
      return send(res, 201, { agent: publicAgent(agent), run: publicRun(run) });
    }

    const match = /^\/v1\/agents\/([^/]+)(?:\/(runs|archive)(?:\/([^/]+)(?:\/(stream|cancel))?)?)?$/.exec(path);
    const agent = match ? agents.get(decodeURIComponent(match[1]!)) : undefined;
    if (!match || !agent || agent.key !== key) return fail(res, 404, 'not_found', 'Not found');
    const [, , section, runId, action] = match;
    if (!section && req.method === 'GET') return send(res, 200, publicAgent(agent));
    if (section === 'archive' && req.method === 'POST') {
      agent.status = 'ARCHIVED';
      return send(res, 200, { id: agent.id });
    }
    if (section === 'runs' && !runId) {
      if (req.method === 'GET') return send(res, 200, { items: agent.runs.map(publicRun) });
      if (agent.status === 'ARCHIVED') return fail(res, 409, 'agent_archived', 'The agent is archived.');
      if (agent.runs.some((r) => r.status === 'RUNNING' || r.status === 'CREATING')) {
        return fail(res, 409, 'agent_busy', 'The agent has an active run.');
      }
      const prompt = (body.prompt as { text?: string } | undefined)?.text;
      if (!prompt) return fail(res, 400, 'invalid_request', 'prompt.text is required');
      const run = startRun(agent, prompt, body.mcpServers as unknown[] | undefined);
      return send(res, 201, { run: publicRun(run) });
    }
    const run = agent.runs.find((r) => r.id === runId);
    if (!run) return fail(res, 404, 'not_found', 'Run not found');
    if (!action && req.method === 'GET') return send(res, 200, publicRun(run));
    if (action === 'stream' && req.method === 'GET') return stream(req, res, run);
    if (action === 'cancel' && req.method === 'POST') {
      if (run.status !== 'RUNNING') return fail(res, 409, 'run_not_cancellable', 'The run has ended.');
      run.status = 'CANCELLED';
      push(run, 'status', { status: 'CANCELLED' });
      return send(res, 200, { id: run.id });
    }
    return fail(res, 404, 'not_found', 'Not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) fail(res, 500, 'internal', (error as Error).message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    agents,
    requests,
    nextRun: (next) => {
      script = next;
    },
    release: (agentId) => {
      const run = agents.get(agentId)?.runs.at(-1);
      if (run) finish(run);
    },
    expireStreams: () => {
      isExpired = true;
      for (const res of openStreams) res.destroy();
    },
    restoreStreams: () => {
      isExpired = false;
    },
    failNext: (route, status, code, retryAfterS) => {
      failures.set(route, { status: ERROR_STATUS[code] ?? status, code, ...(retryAfterS ? { retryAfterS } : {}) });
    },
    close: async () => {
      for (const res of openStreams) res.destroy();
      notify();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
