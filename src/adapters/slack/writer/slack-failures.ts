import { ErrorCode } from '@slack/web-api';
import { slackErrorCode } from '../errors';

// A `ratelimited` answer without a Retry-After header (HTTP 200) says nothing about how long; wait a few seconds.
const DEFAULT_RETRY_AFTER_MS = 3_000;
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function secondsToMs(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

/**
 * How long Slack asked us to wait when `error` is a rate limit, else undefined. Three shapes reach us: a client
 * built with `rejectRateLimitedCalls` throws `WebAPIRateLimitedError` at once; an `{ok:false, error:'ratelimited'}`
 * answer is a platform error; and a client without that option waits out Retry-After itself and, out of retries,
 * throws a request error (0: the wait is already over).
 */
export function rateLimitDelayMs(error: unknown): number | undefined {
  if (!isRecord(error)) return undefined;
  if (error.code === ErrorCode.RateLimitedError) return secondsToMs(error.retryAfter) ?? DEFAULT_RETRY_AFTER_MS;
  if (error.code === ErrorCode.PlatformError && slackErrorCode(error) === 'ratelimited') {
    const data = isRecord(error.data) ? error.data : {};
    const metadata = isRecord(data.response_metadata) ? data.response_metadata : {};
    return secondsToMs(metadata.retryAfter) ?? DEFAULT_RETRY_AFTER_MS;
  }
  if (error.code === ErrorCode.RequestError && isRecord(error.original)) {
    const message = error.original.message;
    if (typeof message === 'string' && message.startsWith('A rate limit was exceeded')) return 0;
  }
  return undefined;
}

/** Failures worth another try: the network, an HTTP error or a Slack-side hiccup (not a bad request). */
export function isTransient(error: unknown): boolean {
  if (!isRecord(error)) return false;
  if (error.code === ErrorCode.RequestError || error.code === ErrorCode.HTTPError) return true;
  const code = error.code === ErrorCode.PlatformError ? slackErrorCode(error) : undefined;
  return code !== undefined && TRANSIENT_PLATFORM_ERRORS.has(code);
}

/** What a log line may say about a failed call: the SDK code and Slack's error code, never the payload. */
export function failureFields(error: unknown): { code?: string; slackError?: string } {
  const code = isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
  const slackError = slackErrorCode(error);
  return { ...(code ? { code } : {}), ...(slackError ? { slackError } : {}) };
}
