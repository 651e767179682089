import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TurnEngine } from './engine';
import { badRequest, FakeApiError, newRequestId, notFound, sendError } from './errors';
import type { EventLog } from './event-log';
import { failureError, type FailureInjector } from './failures';
import { parseJsonBody, queryToRecord, readBody, sendJson } from './http';
import { Router, type Route, type RouteContext } from './router';
import { agentRoutes } from './routes/agents';
import { credentialRoutes } from './routes/credentials';
import { environmentRoutes } from './routes/environments';
import { eventRoutes } from './routes/events';
import { defaultResponder, messageRoutes, type MessagesResponder } from './routes/messages';
import { DEFAULT_MODELS, modelRoutes } from './routes/models';
import { sessionResourceRoutes } from './routes/session-resources';
import { sessionRoutes } from './routes/sessions';
import { skillRoutes } from './routes/skills';
import { vaultRoutes } from './routes/vaults';
import type { ScenarioRegistry } from './scenario-registry';
import type { SseHub } from './sse';
import type { FakeState } from './state';
import type { FakeModelInfo, KeyAccess, RecordedRequest } from './types';

export const MANAGED_AGENTS_BETA = 'managed-agents-2026-04-01';

const ROUTES: Route[] = [
  ...eventRoutes,
  ...sessionResourceRoutes,
  ...sessionRoutes,
  ...agentRoutes,
  ...environmentRoutes,
  ...credentialRoutes,
  ...vaultRoutes,
  ...modelRoutes,
  ...skillRoutes,
  ...messageRoutes,
];

export interface ServerOptions {
  apiKeys: Map<string, KeyAccess>;
  isBetaHeaderRequired: boolean;
  models: FakeModelInfo[];
  messagesResponder: MessagesResponder;
}

export interface ServerParts {
  state: FakeState;
  hub: SseHub;
  log: EventLog;
  engine: TurnEngine;
  scenarios: ScenarioRegistry;
  failures: FailureInjector;
  requests: RecordedRequest[];
  options: ServerOptions;
}

function credentials(req: IncomingMessage): { key: string | undefined; scheme: RecordedRequest['authScheme'] } {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { key: auth.slice(7), scheme: 'bearer' };
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string') return { key: apiKey, scheme: 'x-api-key' };
  return { key: undefined, scheme: 'none' };
}

function checkAccess(access: KeyAccess, req: IncomingMessage, isBetaHeaderRequired: boolean): void {
  if (access === 'no_managed_agents') {
    throw new FakeApiError(403, 'Your API key does not have permission to use Managed Agents.');
  }
  if (access === 'not_enrolled') {
    throw badRequest(
      `Your organization is not enrolled in the ${MANAGED_AGENTS_BETA} beta.`,
      'organization_not_enrolled_in_beta',
    );
  }
  const betas = String(req.headers['anthropic-beta'] ?? '')
    .split(',')
    .map((b) => b.trim());
  if (isBetaHeaderRequired && !betas.includes(MANAGED_AGENTS_BETA)) {
    throw badRequest(`This endpoint requires the anthropic-beta header ${MANAGED_AGENTS_BETA}.`);
  }
}

const sleep = (ms: number, timers: Set<NodeJS.Timeout>) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });

export function createFakeServer(parts: ServerParts) {
  const router = new Router(ROUTES);
  const timers = new Set<NodeJS.Timeout>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const url = new URL(req.url ?? '/', 'http://fake');
    const { key, scheme } = credentials(req);
    const { authorization: _a, 'x-api-key': _k, ...headers } = req.headers;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: queryToRecord(url.searchParams),
      headers,
      authScheme: scheme,
      body: undefined,
      requestId,
    };
    parts.requests.push(record);
    try {
      const raw = await readBody(req);
      record.body = raw;
      record.body = parseJsonBody(raw, req.headers['content-type']);
      const access = key === undefined ? undefined : parts.options.apiKeys.get(key);
      if (!access)
        throw new FakeApiError(401, key === undefined ? 'x-api-key header is required' : 'invalid x-api-key');
      const failure = parts.failures.take(record.method, record.path, record.body);
      if (failure?.delayMs) await sleep(failure.delayMs, timers);
      if (failure?.dropConnection) return void req.socket.destroy();
      if (failure?.status !== undefined) throw failureError({ ...failure, status: failure.status });
      const answerAfterMs = failure?.answerAfterMs;
      const matched = router.match(record.method, record.path);
      if (!matched) throw notFound(`Not found: ${record.method} ${record.path}`);
      if (matched.route.family === 'managed-agents') checkAccess(access, req, parts.options.isBetaHeaderRequired);
      const ctx: RouteContext = {
        state: parts.state,
        engine: parts.engine,
        log: parts.log,
        hub: parts.hub,
        models: () => parts.options.models,
        messagesResponder: () => parts.options.messagesResponder,
        params: matched.params,
        query: url.searchParams,
        body: record.body,
        req,
        res,
        requestId,
      };
      const result = await matched.route.handle(ctx);
      if ('isStreaming' in result) {
        record.status = 200;
        return;
      }
      record.status = result.status ?? 200;
      if (answerAfterMs) await sleep(answerAfterMs, timers);
      sendJson(res, record.status, result.body, requestId);
    } catch (err) {
      const apiError =
        err instanceof FakeApiError
          ? err
          : new FakeApiError(500, `Fake internal error: ${err instanceof Error ? err.message : String(err)}`, {
              shouldRetry: false,
            });
      record.status = apiError.status;
      if (res.headersSent) res.destroy();
      else sendError(res, apiError, requestId);
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  return {
    server,
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      parts.engine.cancelAll();
      parts.hub.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const DEFAULTS = { models: DEFAULT_MODELS, messagesResponder: defaultResponder };
