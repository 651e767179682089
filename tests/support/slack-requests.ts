import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { eventCallback, PLACEHOLDER_RESPONSE_ORIGIN } from './slack-payloads';

export {
  appHomeOpened,
  appMention,
  blockActions,
  blockSuggestion,
  eventCallback,
  messageAction,
  messageEvent,
  selectedOption,
  slashCommand,
  textInput,
  viewPayload,
  viewSubmission,
} from './slack-payloads';

// Bolt compares the content type by exact string equality (slack-platform.md §1.7), so no `; charset=` suffix.
const FORM = 'application/x-www-form-urlencoded';

export interface SlackSenderOptions {
  /** Where Baton listens, e.g. `http://127.0.0.1:3000`; a function when the port is only known later. */
  baseUrl: string | (() => string);
  signingSecret: string;
  /** Defaults to `/slack/events`, where Baton takes events, commands, interactivity and options. */
  path?: string;
  /** The fake Slack origin: response_urls from the payload builders are rewritten to point at it. */
  responseOrigin?: string | (() => string);
}

export interface SendOptions {
  /** Sends `X-Slack-Retry-Num` (and `X-Slack-Retry-Reason`, default `http_timeout`), as a redelivery does. */
  retryNum?: number;
  retryReason?: string;
  /** Unix seconds to sign with; a time over 5 minutes ago makes a stale (rejected) request. */
  timestamp?: number;
  /** Signs with the wrong secret. */
  badSignature?: boolean;
  path?: string;
}

export interface SlackResponse {
  status: number;
  /** Parsed JSON when the answer is JSON, else the text (Bolt's empty ack is `''`). */
  body: unknown;
  headers: Headers;
  durationMs: number;
}

export interface SlackSender {
  /** An Events API envelope, or a bare event (`{ type: 'app_mention', … }`) to wrap in one. */
  event(envelopeOrEvent: Record<string, unknown>, opts?: SendOptions): Promise<SlackResponse>;
  /** Slash command form fields, e.g. from `slashCommand({ text: 'help' })`. */
  command(fields: Record<string, string>, opts?: SendOptions): Promise<SlackResponse>;
  /** An interactivity payload (block_actions, view_submission, message_action, block_suggestion, …). */
  interaction(payload: Record<string, unknown>, opts?: SendOptions): Promise<SlackResponse>;
  /** Any body and headers, signed like the others (e.g. to test content-type handling). */
  raw(body: string, headers: Record<string, string>, opts?: SendOptions): Promise<SlackResponse>;
}

const ENVELOPE_TYPES = ['event_callback', 'url_verification', 'app_rate_limited'];

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`, as Slack signs requests. */
export function signSlackRequest(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

const resolve = (value: string | (() => string)): string => (typeof value === 'function' ? value() : value);

export function createSlackSender(options: SlackSenderOptions): SlackSender {
  const pointResponseUrls = (text: string): string =>
    options.responseOrigin ? text.replaceAll(PLACEHOLDER_RESPONSE_ORIGIN, resolve(options.responseOrigin)) : text;

  async function raw(body: string, headers: Record<string, string>, opts: SendOptions = {}): Promise<SlackResponse> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const secret = opts.badSignature ? `${options.signingSecret}-wrong` : options.signingSecret;
    const retryHeaders: Record<string, string> =
      opts.retryNum === undefined
        ? {}
        : { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': opts.retryReason ?? 'http_timeout' };
    const started = performance.now();
    const response = await fetch(`${resolve(options.baseUrl)}${opts.path ?? options.path ?? '/slack/events'}`, {
      method: 'POST',
      headers: {
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signSlackRequest(secret, timestamp, body),
        ...retryHeaders,
        ...headers,
      },
      body,
    });
    const text = await response.text();
    const durationMs = performance.now() - started;
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    return {
      status: response.status,
      body: isJson && text ? (JSON.parse(text) as unknown) : text,
      headers: response.headers,
      durationMs,
    };
  }

  return {
    raw,
    event(envelopeOrEvent, opts) {
      const isEnvelope = ENVELOPE_TYPES.includes(String(envelopeOrEvent.type));
      const envelope = isEnvelope ? envelopeOrEvent : eventCallback(envelopeOrEvent);
      return raw(JSON.stringify(envelope), { 'content-type': 'application/json' }, opts);
    },
    command(fields, opts) {
      const params = new URLSearchParams(
        Object.entries(fields).map(([k, v]): [string, string] => [k, pointResponseUrls(v)]),
      );
      return raw(params.toString(), { 'content-type': FORM }, opts);
    },
    interaction(payload, opts) {
      const params = new URLSearchParams({ payload: pointResponseUrls(JSON.stringify(payload)) });
      return raw(params.toString(), { 'content-type': FORM }, opts);
    },
  };
}
