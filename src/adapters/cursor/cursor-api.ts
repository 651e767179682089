import { EventSourceParserStream } from 'eventsource-parser/stream';
import { z } from 'zod';
import { CursorApiError, codeOf } from './errors';
import {
  cursorAgent,
  cursorRun,
  type CreateAgentRequest,
  type CursorAgent,
  type CursorMcpServer,
  type CursorModel,
  type CursorRepository,
  type CursorRun,
  type CursorStreamEvent,
} from './types';

export interface CursorApiOptions {
  baseUrl: string;
  timeoutMs?: number;
}

const errorBody = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }) });
const modelList = z.object({
  items: z.array(z.looseObject({ id: z.string(), displayName: z.string().nullish(), name: z.string().nullish() })),
});
const repositoryList = z.object({
  items: z.array(z.looseObject({ url: z.string(), name: z.string().nullish(), defaultBranch: z.string().nullish() })),
  nextCursor: z.string().nullish(),
});
const runList = z.object({ items: z.array(cursorRun), nextCursor: z.string().nullish() });
const me = z.looseObject({ apiKeyName: z.string().nullish(), userEmail: z.string().nullish() });

const REPOSITORIES_MAX = 500;

/**
 * Cursor's Cloud Agents API (v1) over fetch: Basic auth with the key as the user name, JSON in and out, errors
 * as `CursorApiError` with Cursor's code. Nothing here retries: callers decide what is safe to repeat.
 */
export class CursorApi {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(options: CursorApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async me(key: string) {
    return me.parse(await this.json(key, 'GET', '/v1/me'));
  }

  async models(key: string): Promise<CursorModel[]> {
    const { items } = modelList.parse(await this.json(key, 'GET', '/v1/models'));
    return items.map((m) => ({ id: m.id, displayName: m.displayName ?? m.name ?? m.id }));
  }

  async repositories(key: string): Promise<CursorRepository[]> {
    const all: CursorRepository[] = [];
    let cursor: string | null | undefined;
    do {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const page = repositoryList.parse(await this.json(key, 'GET', `/v1/repositories${query}`));
      for (const r of page.items) {
        all.push({ url: r.url, name: r.name ?? nameOf(r.url), defaultBranch: r.defaultBranch ?? null });
      }
      cursor = page.nextCursor;
    } while (cursor && all.length < REPOSITORIES_MAX);
    return all;
  }

  async createAgent(key: string, request: CreateAgentRequest): Promise<{ agent: CursorAgent; run: CursorRun }> {
    const body = z.object({ agent: cursorAgent, run: cursorRun });
    return body.parse(await this.json(key, 'POST', '/v1/agents', request));
  }

  async getAgent(key: string, agentId: string): Promise<CursorAgent> {
    return cursorAgent.parse(await this.json(key, 'GET', `/v1/agents/${encodeURIComponent(agentId)}`));
  }

  async createRun(key: string, agentId: string, text: string, mcpServers?: CursorMcpServer[]): Promise<CursorRun> {
    const body = { prompt: { text }, ...(mcpServers ? { mcpServers } : {}) };
    const { run } = z
      .object({ run: cursorRun })
      .parse(await this.json(key, 'POST', `/v1/agents/${encodeURIComponent(agentId)}/runs`, body));
    return run;
  }

  async listRuns(key: string, agentId: string): Promise<CursorRun[]> {
    const { items } = runList.parse(await this.json(key, 'GET', `/v1/agents/${encodeURIComponent(agentId)}/runs`));
    return items;
  }

  async getRun(key: string, agentId: string, runId: string): Promise<CursorRun> {
    return cursorRun.parse(await this.json(key, 'GET', runPath(agentId, runId)));
  }

  async cancelRun(key: string, agentId: string, runId: string): Promise<void> {
    await this.json(key, 'POST', `${runPath(agentId, runId)}/cancel`);
  }

  async archiveAgent(key: string, agentId: string): Promise<void> {
    await this.json(key, 'POST', `/v1/agents/${encodeURIComponent(agentId)}/archive`);
  }

  /** The run's server-sent events after `lastEventId`; ends when Cursor closes the stream. */
  async *stream(
    key: string,
    agentId: string,
    runId: string,
    lastEventId: string | null,
    signal: AbortSignal,
  ): AsyncGenerator<CursorStreamEvent> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const response = await this.fetch(key, 'GET', `${runPath(agentId, runId)}/stream`, undefined, headers, signal);
    if (!response.ok) throw await this.failure(response);
    if (!response.body) return;
    const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
    for await (const event of events) {
      let data: Record<string, unknown> = {};
      try {
        const parsed: unknown = event.data ? JSON.parse(event.data) : {};
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
      } catch {
        data = { text: event.data };
      }
      yield { id: event.id ?? '', event: event.event ?? 'message', data };
    }
  }

  private async json(key: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.fetch(key, method, path, body);
    if (!response.ok) throw await this.failure(response);
    const text = await response.text();
    return text ? (JSON.parse(text) as unknown) : {};
  }

  private async fetch(
    key: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        // A stream lives as long as the run; only its caller's signal ends it.
        signal: signal ?? timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new CursorApiError(0, 'network', `Cursor API unreachable: ${(error as Error).message}`);
    }
  }

  private async failure(response: Response): Promise<CursorApiError> {
    const parsed = errorBody.safeParse(await response.json().catch(() => ({})));
    const code = parsed.success ? parsed.data.error.code : undefined;
    const message = (parsed.success ? parsed.data.error.message : undefined) ?? response.statusText;
    const retryAfter = Number(response.headers.get('retry-after'));
    return new CursorApiError(
      response.status,
      codeOf(response.status, code),
      message,
      Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : null,
    );
  }
}

const runPath = (agentId: string, runId: string) =>
  `/v1/agents/${encodeURIComponent(agentId)}/runs/${encodeURIComponent(runId)}`;

/** `https://github.com/acme/api(.git)` → `acme/api`. */
export const nameOf = (url: string): string =>
  url
    .replace(/\.git$/, '')
    .split('/')
    .slice(-2)
    .join('/');
