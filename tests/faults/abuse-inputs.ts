import fc from 'fast-check';
import { ACTION, VIEW } from '../../src/views/ids';
import {
  appHomeOpened,
  appMention,
  blockActions,
  blockSuggestion,
  messageAction,
  messageEvent,
  slashCommand,
  viewSubmission,
} from '../support/slack-requests';

// Property-based inputs for Baton's three HTTP surfaces. Each arbitrary yields a request description; the test
// signs, authorises and sends it. Shapes start from real payloads and are then bent: a field replaced by
// anything (wrong type, null, huge, unicode), removed, or the whole body replaced by bytes that are not JSON.

type Json = Record<string, unknown>;

export type Signing = 'signed' | 'unsigned' | 'bad' | 'stale';
/** Who calls /mcp or /api/v1: nobody, garbage, a token of the other kind or unknown, or a real token. */
export type Auth = 'none' | 'garbage' | 'unknown' | 'wrong_kind' | 'valid';

export interface AbuseRequest {
  surface: 'slack' | 'mcp' | 'api';
  method: string;
  path: string;
  /** Set for the Slack surface: how the request is signed. */
  signing?: Signing;
  auth?: Auth;
  /** The bearer for `garbage`. */
  garbage?: string;
  contentType?: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const unicode = fc.constantFrom(
  'é',
  '🙂',
  '\u0000',
  '\u202e',
  '\ud800',
  '𝕏',
  '中文',
  '<@U0001>',
  '<!channel>',
  '\n',
  '"',
);
/** Tens to hundreds of KB (past every field limit Slack and Baton have), built by repetition to stay cheap. */
const huge = fc
  .tuple(fc.string({ unit: 'grapheme', maxLength: 4 }), unicode, fc.integer({ min: 1_000, max: 12_000 }))
  .map(([a, b, n]) => `${a}${b}`.repeat(n));
const weird: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.anything({ maxDepth: 3 }) },
  { weight: 4, arbitrary: fc.constantFrom(null, true, 0, -1, 1e308, '', [], {}, '[]', '{}', 'null') },
  { weight: 1, arbitrary: huge },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
);

/** Percent-encoding that survives lone surrogates (they become U+FFFD, as a browser sends them). */
const enc = (s: string): string => new URLSearchParams({ x: s }).toString().slice(2);

function paths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, child] of Object.entries(value)) {
    out.push([...prefix, key]);
    if (prefix.length < 4) paths(child, [...prefix, key], out);
  }
  return out;
}

function setAt(target: unknown, path: string[], value: unknown, isDelete: boolean): void {
  let node = target as Json;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) return;
    node = node[key] as Json;
  }
  const last = path[path.length - 1]!;
  if (isDelete) delete node[last];
  // A copy: `weird`'s constants (`[]`, `{}`) are one object shared by every sample, and a later edit that lands
  // inside this one would otherwise change them all, or make a payload hold itself.
  else node[last] = structuredClone(value);
}

/** A real payload with 0–3 of its fields (at any depth) replaced by anything, or removed. */
function bent(base: () => Json): fc.Arbitrary<Json> {
  const shape = base();
  const all = paths(shape);
  return fc.array(fc.tuple(fc.nat(all.length - 1), weird, fc.nat(3)), { maxLength: 3 }).map((edits) => {
    const payload = base();
    for (const [i, value, roll] of edits) setAt(payload, all[i]!, value, roll === 0);
    return payload;
  });
}

const actionIds = Object.values(ACTION);
const callbackIds = Object.values(VIEW);

const events = fc.oneof(
  bent(() => appMention({ text: '<@UBATON> ping', ts: '1700009000.000100' })),
  bent(() =>
    appMention({ text: '<@UBATON> helper look at this', ts: '1700009000.000200', thread_ts: '1700009000.000100' }),
  ),
  bent(() => messageEvent({ text: 'hello', channel: 'D0001', channel_type: 'im' })),
  bent(() => appHomeOpened()),
  fc.record({ type: fc.constant('url_verification'), challenge: weird, token: weird }),
  fc.record({ type: fc.constantFrom('event_callback', 'app_rate_limited'), event: weird, team_id: weird }),
);

const interactions = fc.oneof(
  fc.constantFrom(...actionIds).chain((id) => bent(() => blockActions({ action_id: id, value: 'S0001' }))),
  fc
    .constantFrom(...callbackIds)
    .chain((id) => bent(() => viewSubmission({ callback_id: id, private_metadata: '{}' }))),
  fc.constantFrom(...actionIds).chain((id) => bent(() => blockSuggestion({ action_id: id, value: 'a' }))),
  bent(() => messageAction()),
  fc.record({ type: fc.constantFrom('view_closed', 'shortcut', 'dialog_submission', 'nope'), view: weird }),
);

const command = bent(() => slashCommand({ text: 'help' })).map((fields) =>
  Object.entries(fields)
    .map(([k, v]) => `${enc(k)}=${enc(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&'),
);

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

const slackBody: fc.Arbitrary<{ body: string; contentType: string }> = fc.oneof(
  { weight: 5, arbitrary: events.map((e) => ({ body: JSON.stringify(e), contentType: JSON_TYPE })) },
  {
    weight: 5,
    arbitrary: interactions.map((p) => ({
      body: new URLSearchParams({ payload: JSON.stringify(p) }).toString(),
      contentType: FORM,
    })),
  },
  { weight: 3, arbitrary: command.map((body) => ({ body, contentType: FORM })) },
  {
    weight: 2,
    arbitrary: fc.record({
      body: fc.oneof(
        fc.constantFrom('null', '', '{', '[]', '"x"', '5', 'payload=', 'payload=null', 'payload=%7B', 'ssl_check=1'),
        fc.json(),
        fc.string({ unit: 'binary' }),
        weird.map((w) => `payload=${enc(String(JSON.stringify(w)))}`),
        fc.string().map((s) => `command=%2Fbaton&text[]=${enc(s)}&text[x]=1`),
      ),
      contentType: fc.constantFrom(JSON_TYPE, FORM, 'text/plain', `${FORM}; charset=utf-8`, '', 'multipart/form-data'),
    }),
  },
);

const signing = fc.constantFrom<Signing>('signed', 'signed', 'signed', 'unsigned', 'bad', 'stale');

export const slackRequest = (forceRefused = false): fc.Arbitrary<AbuseRequest> =>
  fc
    .record({
      body: slackBody,
      signing: forceRefused ? fc.constantFrom<Signing>('unsigned', 'bad', 'stale') : signing,
      retry: fc.option(fc.nat(5)),
      method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'GET', 'PUT'),
    })
    .map(({ body, signing: s, retry, method }): AbuseRequest => ({
      surface: 'slack' as const,
      method: forceRefused ? 'POST' : method,
      path: '/slack/events',
      signing: s,
      contentType: body.contentType,
      headers: retry === null ? {} : { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' },
      body: method === 'GET' && !forceRefused ? undefined : body.body,
    }));

const TOOL_NAMES = [
  'get_task_context',
  'post_comment',
  'update_status',
  'channel_history',
  'search_messages',
  'post_message',
  'lookup_user',
  'list_sessions',
  'start_session',
];

const toolArguments = fc.oneof(
  weird,
  fc.dictionary(
    fc.constantFrom('text', 'channel', 'limit', 'query', 'user', 'thread_ts', 'status', 'bot', 'task', 'reason', 'x'),
    weird,
    { maxKeys: 4 },
  ),
  fc.record({ text: huge }),
  fc.record({ channel: fc.constantFrom('C0001', 'D0001', 'G0001', 'C9999'), limit: fc.integer(), query: fc.string() }),
);

const rpcMessage = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), weird),
    id: fc.oneof(fc.nat(), fc.string(), weird),
    method: fc.oneof(
      fc.constantFrom('tools/call', 'tools/call', 'tools/list', 'initialize', 'ping', 'resources/list', 'prompts/get'),
      fc.string(),
    ),
    params: fc.oneof(
      fc.record({ name: fc.oneof(fc.constantFrom(...TOOL_NAMES), fc.string()), arguments: toolArguments }),
      fc.record({ protocolVersion: weird, capabilities: weird, clientInfo: weird }),
      weird,
    ),
  },
  { requiredKeys: ['method'] },
);

const mcpBody = fc.oneof(
  { weight: 6, arbitrary: rpcMessage.map((m) => JSON.stringify(m)) },
  { weight: 1, arbitrary: fc.array(rpcMessage, { maxLength: 4 }).map((m) => JSON.stringify(m)) },
  { weight: 2, arbitrary: fc.oneof(fc.json(), fc.string({ unit: 'binary' }), fc.constantFrom('', 'null', '{', '[]')) },
);

const authFor = (forceRefused: boolean) =>
  forceRefused
    ? fc.constantFrom<Auth>('none', 'garbage', 'unknown', 'wrong_kind')
    : fc.constantFrom<Auth>('valid', 'valid', 'valid', 'valid', 'none', 'garbage', 'unknown', 'wrong_kind');

const garbage = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic abc', 'Bearer  x y'),
);

export const mcpRequest = (forceRefused = false): fc.Arbitrary<AbuseRequest> =>
  fc
    .record({
      body: mcpBody,
      auth: authFor(forceRefused),
      garbage,
      method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'GET', 'DELETE', 'PUT'),
      accept: fc.constantFrom('application/json, text/event-stream', 'application/json', '*/*', ''),
      contentType: fc.constantFrom(JSON_TYPE, JSON_TYPE, 'text/plain', ''),
    })
    .map(({ body, auth, garbage: g, method, accept, contentType }): AbuseRequest => ({
      surface: 'mcp' as const,
      method,
      path: '/mcp',
      auth,
      garbage: g,
      contentType,
      headers: accept ? { accept } : {},
      body: method === 'GET' ? undefined : body,
    }));

/** Path parameters: real-looking ids, others' ids, unicode, percent-encoding that does not decode, traversal. */
const segment = fc.oneof(
  fc.constantFrom('C0001', 'D0001', 'C9999', '1700009000.000100', 'U0001', 'session', '..', '%', '%E0%A4%A', '%2F'),
  fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  huge.map((s) => enc(s.slice(0, 400))),
);

const API_PATHS: Array<[string, string]> = [
  ['GET', 'threads/:channel/:ts/context'],
  ['POST', 'threads/:channel/:ts/comments'],
  ['GET', 'channels/:channel/history'],
  ['POST', 'channels/:channel/messages'],
  ['GET', 'search'],
  ['GET', 'users/:id'],
  ['GET', 'sessions'],
  ['POST', 'sessions'],
  ['GET', 'sessions/:id/credentials'],
  ['POST', 'sessions/:id/steps'],
  ['POST', 'sessions/:id/steps/:step_id/finished'],
  ['POST', 'sessions/:id/messages'],
  ['POST', 'sessions/:id/status'],
  ['POST', 'sessions/:id/approvals'],
  ['POST', 'sessions/:id/finish'],
  ['GET', 'openapi.json'],
  ['GET', 'nope/:id'],
];

/** Every /api/v1 route (see src/api/routes.ts), so the test can check it covered each. */
export const API_ROUTE_COUNT = API_PATHS.length;

const apiBody = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), weird, { maxKeys: 5 }).map((b) => JSON.stringify(b)),
  },
  {
    weight: 5,
    arbitrary: fc
      .record(
        {
          text: fc.oneof(fc.string(), huge, weird),
          channel: fc.oneof(fc.constantFrom('C0001', 'D0001'), weird),
          name: weird,
          step_id: weird,
          summary: weird,
          status: fc.oneof(fc.constantFrom('running', 'done', 'failed', 'working'), weird),
          answer: weird,
          task: weird,
          bot: weird,
          thread_ts: weird,
        },
        { requiredKeys: [] },
      )
      .map((b) => JSON.stringify(b)),
  },
  { weight: 2, arbitrary: fc.oneof(fc.json(), fc.string({ unit: 'binary' }), huge, fc.constantFrom('', 'null', '[]')) },
);

export const apiRequest = (sessionIds: string[], forceRefused = false): fc.Arbitrary<AbuseRequest> =>
  fc
    .record({
      route: fc.nat(API_PATHS.length - 1),
      params: fc.array(fc.oneof(segment, fc.constantFrom(...sessionIds)), { minLength: 4, maxLength: 4 }),
      query: fc.dictionary(
        fc.constantFrom('limit', 'query', 'q', 'cursor', 'x'),
        fc.oneof(
          fc.string(),
          huge.map((s) => s.slice(0, 600)),
        ),
        {
          maxKeys: 3,
        },
      ),
      method: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), { freq: 5 }),
      body: apiBody,
      key: fc.option(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.constantFrom(' ', 'k1', 'k1'),
          huge.map((s) => s.slice(0, 300)),
        ),
      ),
      auth: authFor(forceRefused),
      garbage,
      contentType: fc.constantFrom(JSON_TYPE, JSON_TYPE, 'text/plain', ''),
    })
    .map(({ route, params, query, method, body, key, auth, garbage: g, contentType }): AbuseRequest => {
      const [routeMethod, pattern] = API_PATHS[route]!;
      let i = 0;
      const path = pattern.replace(/:[a-z_]+/g, () => params[i++]!);
      const search = new URLSearchParams(query).toString();
      const m = method ?? routeMethod;
      const headers: Record<string, string> = {};
      if (key !== null) headers['idempotency-key'] = enc(key);
      return {
        surface: 'api' as const,
        method: m,
        path: `/api/v1/${path}${search ? `?${search}` : ''}`,
        auth,
        garbage: g,
        contentType,
        headers,
        body: m === 'GET' ? undefined : body,
      };
    });
