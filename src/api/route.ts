import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { authenticate, bearerToken } from '../mcp/caller';
import type { ToolDeps } from '../mcp/deps';
import { ToolError, type ToolErrorCode } from '../mcp/errors';
import { runOperation } from '../mcp/operation';
import { openApiDocument } from './openapi';
import { ROUTES, type ApiRoute } from './routes';

export const API_PREFIX = '/api/v1';
const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;
const BODY_MAX_BYTES = 64 * 1024;

type Params = Record<string, string>;
type Body = Record<string, unknown>;

const STATUS: Record<ToolErrorCode, number> = {
  invalid_request: 400,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  slack_error: 502,
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function match(segments: string[], method: string): { route: ApiRoute; params: Params } | 'wrong_method' | undefined {
  let isKnownPath = false;
  for (const route of ROUTES) {
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    const params: Params = {};
    const isMatch = pattern.every((part, i) => {
      const segment = segments[i] ?? '';
      if (part.startsWith(':')) params[part.slice(1)] = segment;
      return part.startsWith(':') || part === segment;
    });
    if (!isMatch) continue;
    if (route.method === method) return { route, params };
    isKnownPath = true;
  }
  return isKnownPath ? 'wrong_method' : undefined;
}

async function readJson(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped, so the caller gets its 413 instead of a connection reset.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= BODY_MAX_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > BODY_MAX_BYTES) throw new HttpError(413, 'payload_too_large', 'The body may be at most 64 KiB.');
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Body;
  } catch {
    // answered below
  }
  throw new HttpError(400, 'invalid_request', 'The body must be a JSON object.');
}

async function handle(deps: ToolDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && new URL(req.url ?? '/', 'http://baton.invalid').pathname === OPENAPI_PATH) {
    return send(res, 200, openApiDocument(deps.apiUrl));
  }
  const caller = await authenticate(deps, req.headers.authorization, 'api');
  if (!caller) {
    const token = bearerToken(req.headers.authorization);
    const expiredAt = token ? await deps.tokens.expiredAt(token, 'api') : undefined;
    if (expiredAt) {
      throw new HttpError(
        401,
        'token_expired',
        `This API token expired on ${expiredAt.toISOString()}. A Baton admin can create a new one with "/baton tokens <bot name>".`,
      );
    }
    throw new HttpError(
      401,
      'unauthorized',
      'Send a bot API token as "Authorization: Bearer btn_pat_…"; this one is missing, malformed, unknown, revoked or expired.',
    );
  }
  const url = new URL(req.url ?? '/', 'http://baton.invalid');
  let segments: string[];
  try {
    segments = url.pathname
      .slice(API_PREFIX.length + 1)
      .split('/')
      .map(decodeURIComponent);
  } catch {
    throw new HttpError(400, 'invalid_request', 'The path is not valid URL encoding.');
  }
  const found = match(segments, req.method ?? 'GET');
  if (found === 'wrong_method') throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here.`);
  if (!found) throw new HttpError(404, 'not_found', `There is no endpoint ${url.pathname}.`);
  const body = found.route.method === 'POST' ? await readJson(req) : {};
  const key = req.headers['idempotency-key'];
  if (found.route.isIdempotent && (typeof key !== 'string' || !key.trim())) {
    throw new HttpError(
      400,
      'invalid_request',
      'Send an Idempotency-Key header: a repeated call with the same key is applied once.',
    );
  }
  const result = await runOperation(
    deps,
    caller,
    found.route.op,
    found.route.input(found.params, url.searchParams, body, typeof key === 'string' ? key.trim() : undefined),
  );
  send(res, found.route.method === 'POST' ? 201 : 200, result.data);
}

/** The REST API under `/api/v1`, for a bot's personal access tokens. Errors are JSON `{ error, message }`. */
export function apiRoute(deps: ToolDeps): CustomRoute {
  return {
    path: `${API_PREFIX}/*rest`,
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    handler: (req, res) => {
      handle(deps, req, res).catch((error: unknown) => {
        if (error instanceof HttpError) {
          const headers: Record<string, string> =
            error.status === 401 ? { 'WWW-Authenticate': 'Bearer error="invalid_token"' } : {};
          return send(res, error.status, { error: error.code, message: error.message }, headers);
        }
        if (error instanceof ToolError) {
          const headers: Record<string, string> = error.retryAfterS ? { 'Retry-After': String(error.retryAfterS) } : {};
          return send(res, STATUS[error.code], { error: error.code, message: error.message }, headers);
        }
        deps.log.error({ event: 'api.request_failed', err: error });
        // runOperation already gave its own failures a ref; anything else stays in the log.
        const message = /\(ref [0-9a-f]+\)/.test((error as Error).message)
          ? (error as Error).message
          : 'Baton could not handle the request.';
        send(res, 500, { error: 'internal_error', message });
      });
    },
  };
}
