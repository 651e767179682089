import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BOT_SCOPES } from '../../src/adapters/slack/scopes';
import { isObject } from './block-kit-checker';
import { findMessageViolations } from './block-kit-limits';
import { chatMethods } from './slack/chat-methods';
import type { MethodContext, MethodHandler } from './slack/context';
import { type Args, mediaType, parseApiRequest, parseMultipart, readBody, sendJson, SlackApiError } from './slack/http';
import { nextId, SLACK_DEFAULTS } from './slack/ids';
import { CallRecorder, type CallPredicate, type SlackCall } from './slack/recorder';
import {
  type AuthIdentity,
  DEFAULT_USERS,
  type FakeSlackChannel,
  type FakeSlackUser,
  SlackState,
  type StoredMessage,
} from './slack/state';
import { type RateLimits, type Reply, type ScriptedFailure, Throttle } from './slack/throttle';
import { defaultOAuthAccess, workspaceMethods } from './slack/workspace-methods';
import { viewMethods } from './slack/view-methods';

export type { SlackCall, ScriptedFailure, AuthIdentity, FakeSlackUser, FakeSlackChannel, StoredMessage };

export interface FakeSlackOptions {
  /** What `auth.test` reports for tokens not listed in `tokens`. Defaults to the bot of workspace T0001. */
  identity?: Partial<AuthIdentity>;
  tokens?: Record<string, Partial<AuthIdentity>>;
  /** Added to (or replacing by id) the default users U0001 and the bot user. */
  users?: FakeSlackUser[];
  /** Channels that differ from the default (a public channel the bot is in), e.g. `{ id, is_member: false }`. */
  channels?: FakeSlackChannel[];
  oauthAccess?: (args: Args) => Args;
  /** What `apps.connections.open` answers. */
  socketModeUrl?: string;
  rateLimits?: RateLimits;
  /** What the `x-oauth-scopes` header reports for bot tokens; defaults to every scope Baton asks for. */
  scopes?: readonly string[];
}

export interface FakeSlack {
  /** `http://127.0.0.1:<port>/api/`, for WebClient `slackApiUrl`. */
  readonly url: string;
  readonly origin: string;
  readonly calls: readonly SlackCall[];
  readonly state: SlackState;
  callsTo(method: string): SlackCall[];
  waitFor(method: string, predicate?: CallPredicate, timeoutMs?: number): Promise<SlackCall>;
  waitForCalls(method: string, count: number, predicate?: CallPredicate, timeoutMs?: number): Promise<SlackCall[]>;
  failNext(method: string, failure?: ScriptedFailure): void;
  /**
   * Holds the next call to `method` matching `predicate` unanswered and undone (as if it never reached Slack), for
   * killing a worker mid-call; resolves with its arguments when it arrives. The connection is dropped on close.
   * `isDone`: Slack does the call (recorded, its message stored) and only the answer never leaves, as when the
   * caller dies between Slack acting and hearing back.
   */
  holdNext(method: string, predicate: (args: Args) => boolean, options?: { isDone?: boolean }): Promise<Args>;
  /**
   * The next call to `method` loses its connection before the answer, so the caller sees a network failure. With
   * `isDone` Slack did the call first (recorded, its message stored), as when a connection drops on the way back.
   */
  cutNext(method: string, options?: { isDone?: boolean }): void;
  /**
   * Keeps the next call to `method` waiting (a slow or rate-limited Slack) until `release()`, then answers it as
   * usual; `arrived` resolves with its arguments when it comes in.
   */
  delayNext(method: string, predicate?: (args: Args) => boolean): { arrived: Promise<Args>; release(): void };
  /** A fresh `response_url` served by this fake; posts to it are recorded as method `response_url`. */
  responseUrl(): string;
  /** Messages in a channel (oldest first), or in one thread when `threadTs` is given. */
  messages(channel: string, threadTs?: string): StoredMessage[];
  /** Puts a message in the channel as if a person had written it, so `conversations.replies` can return it. */
  seedMessage(message: {
    channel?: string;
    text: string;
    user?: string;
    ts?: string;
    thread_ts?: string;
  }): StoredMessage;
  reset(): void;
  close(): Promise<void>;
}

const METHODS: Record<string, MethodHandler> = { ...chatMethods, ...viewMethods, ...workspaceMethods };
const TOKENLESS_METHODS = new Set(['oauth.v2.access', 'oauth.v2.exchange']);

const errorReply = (err: SlackApiError, status = 200): Reply => ({
  status,
  body: {
    ok: false,
    error: err.code,
    ...(err.messages.length > 0 ? { response_metadata: { messages: err.messages } } : {}),
  },
});

class FakeSlackServer implements FakeSlack {
  readonly state: SlackState;
  private readonly recorder = new CallRecorder();
  private readonly throttle: Throttle;
  private readonly server: Server;
  origin = '';

  constructor(private readonly options: FakeSlackOptions) {
    const users = new Map([...DEFAULT_USERS, ...(options.users ?? [])].map((u) => [u.id, u]));
    this.state = new SlackState({
      identity: {
        teamId: SLACK_DEFAULTS.teamId,
        team: SLACK_DEFAULTS.teamName,
        userId: SLACK_DEFAULTS.botUserId,
        botId: SLACK_DEFAULTS.botId,
        ...options.identity,
      },
      tokens: options.tokens ?? {},
      users: [...users.values()],
      channels: options.channels ?? [],
    });
    this.throttle = new Throttle(options.rateLimits);
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) =>
        sendJson(res, 500, { ok: false, error: 'fatal_error', detail: String(err) }),
      );
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get url(): string {
    return `${this.origin}/api/`;
  }

  get calls(): readonly SlackCall[] {
    return this.recorder.calls;
  }

  callsTo = (method: string) => this.recorder.callsTo(method);
  waitForCalls = (method: string, count: number, predicate?: CallPredicate, timeoutMs?: number) =>
    this.recorder.waitForCalls(method, count, predicate, timeoutMs);

  async waitFor(method: string, predicate?: CallPredicate, timeoutMs?: number): Promise<SlackCall> {
    const [call] = await this.recorder.waitForCalls(method, 1, predicate, timeoutMs);
    return call as SlackCall;
  }

  failNext(method: string, failure: ScriptedFailure = {}): void {
    this.throttle.failNext(method, failure);
  }

  private readonly holds: Array<{
    method: string;
    predicate: (args: Args) => boolean;
    arrived: (a: Args) => void;
    isDone: boolean;
  }> = [];

  holdNext(method: string, predicate: (args: Args) => boolean, { isDone = false } = {}): Promise<Args> {
    return new Promise((arrived) => this.holds.push({ method, predicate, arrived, isDone }));
  }

  private readonly cuts: Array<{ method: string; isDone: boolean }> = [];

  cutNext(method: string, { isDone = false } = {}): void {
    this.cuts.push({ method, isDone });
  }

  private readonly delays: Array<{
    method: string;
    predicate: (args: Args) => boolean;
    arrived: (a: Args) => void;
    released: Promise<void>;
  }> = [];

  delayNext(method: string, predicate: (args: Args) => boolean = () => true) {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const arrived = new Promise<Args>((resolve) => this.delays.push({ method, predicate, arrived: resolve, released }));
    return { arrived, release };
  }

  responseUrl = () => `${this.origin}/response/${nextId('R')}`;

  messages(channel: string, threadTs?: string): StoredMessage[] {
    return threadTs ? this.state.thread(channel, threadTs) : [...(this.state.messages.get(channel) ?? [])];
  }

  seedMessage(message: { channel?: string; text: string; user?: string; ts?: string; thread_ts?: string }) {
    return this.state.addMessage({ channel: SLACK_DEFAULTS.channelId, user: SLACK_DEFAULTS.userId, ...message });
  }

  reset(): void {
    this.recorder.clear();
    this.cuts.length = 0;
    this.throttle.reset();
    this.state.reset();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const [, kind, id] = url.pathname.split('/');
    const raw = await readBody(req);
    if (kind === 'api' && id) return this.answerApi(id, req, raw, url, res);
    if (kind === 'response' && req.method === 'POST') return this.answerResponseUrl(req, raw, url, res);
    if (kind === 'upload' && id && req.method === 'POST') return this.answerUpload(id, req, raw, url, res);
    const file = kind === 'files' && id ? this.state.files.get(id) : undefined;
    if (file?.content) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end(file.content);
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  private async answerApi(method: string, req: IncomingMessage, raw: Buffer, url: URL, res: ServerResponse) {
    let token: string | undefined;
    let args: Args = {};
    let reply: Reply;
    try {
      ({ token, args } = await parseApiRequest(req, raw, url));
      const held = this.holds.findIndex((h) => h.method === method && h.predicate(args));
      if (held >= 0) {
        const hold = this.holds.splice(held, 1)[0]!;
        if (hold.isDone) await this.doUnanswered(method, token, args, url);
        hold.arrived(args);
        return;
      }
      const cut = this.cuts.findIndex((c) => c.method === method);
      if (cut >= 0) {
        const { isDone } = this.cuts.splice(cut, 1)[0]!;
        if (isDone) await this.doUnanswered(method, token, args, url);
        return void res.socket?.destroy();
      }
      const delayed = this.delays.findIndex((d) => d.method === method && d.predicate(args));
      if (delayed >= 0) {
        const delay = this.delays.splice(delayed, 1)[0]!;
        delay.arrived(args);
        await delay.released;
      }
      const channel = typeof args.channel === 'string' ? args.channel : undefined;
      reply = this.throttle.check(method, token, channel) ?? (await this.runMethod(method, token, args));
    } catch (err) {
      if (!(err instanceof SlackApiError)) throw err;
      reply = errorReply(err);
    }
    // Slack reports the token's scopes on every Web API answer; the WebClient exposes them as response_metadata.scopes.
    const scopes = (this.options.scopes ?? BOT_SCOPES).join(',');
    const headers = token?.startsWith('xoxb-') ? { 'x-oauth-scopes': scopes, ...reply.headers } : reply.headers;
    this.respond(res, { method, token, args, path: url.pathname }, { ...reply, headers });
  }

  /** Does the call and records it like any other, but never answers. */
  private async doUnanswered(method: string, token: string | undefined, args: Args, url: URL): Promise<void> {
    const reply = await this.runMethod(method, token, args).catch((err: unknown) => {
      if (!(err instanceof SlackApiError)) throw err;
      return errorReply(err);
    });
    this.recordReply({ method, token, args, path: url.pathname }, reply);
  }

  private recordReply(call: Pick<SlackCall, 'method' | 'token' | 'args' | 'path'>, reply: Reply): void {
    this.recorder.record({
      ...call,
      at: Date.now(),
      status: reply.status,
      ok: reply.body.ok === true,
      response: reply.body,
    });
  }

  private async runMethod(method: string, token: string | undefined, args: Args): Promise<Reply> {
    const handler = METHODS[method];
    if (!handler) throw new SlackApiError('unknown_method');
    if (!token && !TOKENLESS_METHODS.has(method)) throw new SlackApiError('not_authed');
    if (token && this.state.revokedTokens.has(token)) throw new SlackApiError('token_revoked');
    const ctx: MethodContext = {
      state: this.state,
      token,
      identity: this.state.identity(token),
      origin: this.origin,
      oauthAccess: this.options.oauthAccess ?? defaultOAuthAccess,
      socketModeUrl: this.options.socketModeUrl ?? 'ws://127.0.0.1:1/',
    };
    return { status: 200, body: { ok: true, ...(await handler(args, ctx)) } };
  }

  // Bolt's respond() throws on a non-2xx answer, so a rejected response_url post surfaces in the app's error handling.
  // Slack's exact status codes for these are not documented; 400 is a stand-in.
  private answerResponseUrl(req: IncomingMessage, raw: Buffer, url: URL, res: ServerResponse): void {
    let args: Args;
    try {
      args = JSON.parse(raw.toString('utf8') || '{}') as Args;
    } catch {
      return this.respond(
        res,
        { method: 'response_url', token: undefined, args: {}, path: url.pathname },
        errorReply(new SlackApiError('invalid_json'), 400),
      );
    }
    const violation = args.delete_original === true ? undefined : findMessageViolations(args);
    const reply = violation
      ? errorReply(new SlackApiError(violation.error, violation.messages), 400)
      : { status: 200, body: { ok: true } };
    this.respond(res, { method: 'response_url', token: undefined, args, path: url.pathname }, reply);
  }

  private async answerUpload(fileId: string, req: IncomingMessage, raw: Buffer, url: URL, res: ServerResponse) {
    const file = this.state.files.get(fileId);
    const isMultipart = mediaType(req) === 'multipart/form-data';
    const parts = isMultipart ? await parseMultipart(raw, req.headers['content-type'] ?? '') : {};
    // The WebClient sends the file as the multipart field `body`.
    const part = Object.values(parts).find((v) => isObject(v) && Buffer.isBuffer(v.content));
    const content = isObject(part) && Buffer.isBuffer(part.content) ? part.content : raw;
    if (file) file.content = content;
    const args = { file_id: fileId, size: content.length, content: content.toString('utf8') };
    this.recorder.record({
      method: 'upload_url',
      token: /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1],
      args,
      at: Date.now(),
      path: url.pathname,
      status: file ? 200 : 404,
      ok: Boolean(file),
      response: '',
    });
    res
      .writeHead(file ? 200 : 404, { 'content-type': 'text/plain' })
      .end(file ? `OK - ${content.length}` : 'not found');
  }

  private respond(
    res: ServerResponse,
    call: Pick<SlackCall, 'method' | 'token' | 'args' | 'path'>,
    reply: Reply,
  ): void {
    // Recorded before answering, so a client that has its response can always find the call.
    this.recordReply(call, reply);
    sendJson(res, reply.status, reply.body, reply.headers);
  }
}

/** Starts a fake Slack Web API on 127.0.0.1 and a random port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlackServer(options);
  await fake.listen();
  return fake;
}
