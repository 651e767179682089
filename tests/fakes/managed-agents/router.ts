import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TurnEngine } from './engine';
import type { EventLog } from './event-log';
import type { MessagesResponder } from './routes/messages';
import type { SseHub } from './sse';
import type { FakeState } from './state';
import type { FakeModelInfo } from './types';

export interface RouteContext {
  state: FakeState;
  engine: TurnEngine;
  log: EventLog;
  hub: SseHub;
  models: () => FakeModelInfo[];
  messagesResponder: () => MessagesResponder;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
}

/** A handler answers JSON (`status` defaults to 200) or says it wrote the response itself (SSE). */
export type RouteResult = { status?: number; body: unknown } | { isStreaming: true };

/** `managed-agents` routes need the beta header and Managed Agents access; the others only a valid key. */
export type RouteFamily = 'managed-agents' | 'models' | 'messages';

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: string;
  family: RouteFamily;
  handle(ctx: RouteContext): RouteResult | Promise<RouteResult>;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  keys: string[];
}

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: Route[]) {
    this.compiled = routes.map((route) => {
      const keys: string[] = [];
      const source = route.pattern.replace(/:([a-z_]+)/g, (_, key: string) => {
        keys.push(key);
        return '([^/]+)';
      });
      return { ...route, regex: new RegExp(`^${source}$`), keys };
    });
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.compiled) {
      if (route.method !== method) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(m[i + 1] ?? '')));
      return { route, params };
    }
    return undefined;
  }
}

export const json = (body: unknown, status = 200): RouteResult => ({ status, body });
