import type { Operation } from '../mcp/operation';
import { API_OPERATIONS as OPS } from './operations';
import { RUNTIME_OPERATIONS as RUNTIME } from './runtime-ops';

type Params = Record<string, string>;
type Body = Record<string, unknown>;

/** One REST route: its operation's zod schema validates the input and also describes it in the OpenAPI document. */
export interface ApiRoute {
  method: 'GET' | 'POST';
  path: string;
  op: Operation;
  summary: string;
  /** Path parameters, query and body merged into the operation's input; `key` is the Idempotency-Key header. */
  input(params: Params, query: URLSearchParams, body: Body, key: string | undefined): unknown;
  /** The route needs an Idempotency-Key header. */
  isIdempotent?: boolean;
}

const queryOf = (query: URLSearchParams) => Object.fromEntries(query.entries());
const withKey = (p: Params, _q: URLSearchParams, b: Body, key: string | undefined) => ({ ...b, ...p, key });

export const ROUTES: ApiRoute[] = [
  {
    method: 'GET',
    path: 'threads/:channel/:ts/context',
    op: OPS.threadContext,
    summary: "A thread's messages as task context",
    input: (p) => p,
  },
  {
    method: 'POST',
    path: 'threads/:channel/:ts/comments',
    op: OPS.postComment,
    summary: 'Reply in a thread as the bot',
    input: (p, _q, b) => ({ ...b, ...p }),
  },
  {
    method: 'GET',
    path: 'channels/:channel/history',
    op: OPS.channelHistory,
    summary: "A channel's recent messages",
    input: (p, q) => ({ ...queryOf(q), ...p }),
  },
  {
    method: 'POST',
    path: 'channels/:channel/messages',
    op: OPS.postMessage,
    summary: 'Post in a channel as the bot',
    input: (p, _q, b) => ({ ...b, ...p }),
  },
  { method: 'GET', path: 'search', op: OPS.searchMessages, summary: 'Search messages', input: (_p, q) => queryOf(q) },
  { method: 'GET', path: 'users/:id', op: OPS.lookupUser, summary: 'A user by id', input: (p) => p },
  {
    method: 'GET',
    path: 'sessions',
    op: OPS.listSessions,
    summary: "The bot's sessions",
    input: (_p, q) => queryOf(q),
  },
  { method: 'POST', path: 'sessions', op: OPS.startSession, summary: 'Start a session', input: (_p, _q, b) => b },
  {
    method: 'GET',
    path: 'sessions/:id/credentials',
    op: RUNTIME.credentials,
    summary: 'Self-hosted runtimes: the session-scoped MCP and API tokens of a session',
    input: (p) => p,
  },
  {
    method: 'POST',
    path: 'sessions/:id/steps',
    op: RUNTIME.stepStarted,
    summary: 'Self-hosted runtimes: a step started',
    input: withKey,
    isIdempotent: true,
  },
  {
    method: 'POST',
    path: 'sessions/:id/steps/:step_id/finished',
    op: RUNTIME.stepFinished,
    summary: 'Self-hosted runtimes: a step finished',
    input: withKey,
    isIdempotent: true,
  },
  {
    method: 'POST',
    path: 'sessions/:id/messages',
    op: RUNTIME.message,
    summary: 'Self-hosted runtimes: a message from the agent (shown on the card and in the log)',
    input: withKey,
    isIdempotent: true,
  },
  {
    method: 'POST',
    path: 'sessions/:id/status',
    op: RUNTIME.status,
    summary: "Self-hosted runtimes: set the session's status",
    input: withKey,
    isIdempotent: true,
  },
  {
    method: 'POST',
    path: 'sessions/:id/approvals',
    op: RUNTIME.approval,
    summary: 'Self-hosted runtimes: ask the thread to approve a step (the answer arrives as session.approval_answered)',
    input: withKey,
    isIdempotent: true,
  },
  {
    method: 'POST',
    path: 'sessions/:id/finish',
    op: RUNTIME.finish,
    summary: 'Self-hosted runtimes: finish the turn with an answer or a failure',
    input: withKey,
    isIdempotent: true,
  },
];
