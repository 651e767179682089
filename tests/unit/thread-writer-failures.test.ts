import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { failureFields, isTransient, rateLimitDelayMs } from '../../src/adapters/slack/writer/slack-failures';

describe('rateLimitDelayMs', () => {
  it('reads Retry-After from a rejected rate-limited call', () => {
    expect(rateLimitDelayMs(new WebAPIRateLimitedError(7))).toBe(7_000);
  });

  it('treats a `ratelimited` answer as a rate limit, with or without Retry-After', () => {
    const withHeader = new WebAPIPlatformError({ ok: false, error: 'ratelimited', response_metadata: {} });
    (withHeader.data.response_metadata as Record<string, unknown>).retryAfter = 2;
    expect(rateLimitDelayMs(withHeader)).toBe(2_000);
    expect(rateLimitDelayMs(new WebAPIPlatformError({ ok: false, error: 'ratelimited' }))).toBeGreaterThan(0);
  });

  it('sees that a client which waited out Retry-After itself may retry at once', () => {
    const waited = new WebAPIRequestError(new Error('A rate limit was exceeded (url: x, retry-after: 1)'));
    expect(rateLimitDelayMs(waited)).toBe(0);
  });

  it('is undefined for other failures', () => {
    expect(rateLimitDelayMs(new WebAPIPlatformError({ ok: false, error: 'message_not_found' }))).toBeUndefined();
    expect(rateLimitDelayMs(new WebAPIRequestError(new Error('socket hang up')))).toBeUndefined();
    expect(rateLimitDelayMs('boom')).toBeUndefined();
  });
});

describe('isTransient', () => {
  it('retries the network and Slack hiccups but not bad requests', () => {
    expect(isTransient(new WebAPIRequestError(new Error('socket hang up')))).toBe(true);
    expect(isTransient(new WebAPIHTTPError(503, 'Service Unavailable', {}))).toBe(true);
    expect(isTransient(new WebAPIPlatformError({ ok: false, error: 'internal_error' }))).toBe(true);
    expect(isTransient(new WebAPIPlatformError({ ok: false, error: 'invalid_blocks' }))).toBe(false);
    expect(isTransient(new Error('bug'))).toBe(false);
  });
});

describe('failureFields', () => {
  it('names the codes and nothing else', () => {
    const error = new WebAPIPlatformError({ ok: false, error: 'msg_too_long', text: 'secret answer' } as never);
    expect(failureFields(error)).toEqual({ code: 'slack_webapi_platform_error', slackError: 'msg_too_long' });
  });
});
