import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { HandlerDeps } from '../deps';

const DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Slack redelivers an event it thinks we missed (and Socket Mode can resend one with retry_attempt 0), so the
 * event id, not the retry header, decides. The claim lives in Redis, shared by every web process.
 */
export const dedupeEvents =
  ({ events, log }: Pick<HandlerDeps, 'events' | 'log'>): Middleware<AnyMiddlewareArgs> =>
  async ({ body, next }) => {
    const eventId = 'event_id' in body && typeof body.event_id === 'string' ? body.event_id : undefined;
    if (eventId && !(await events.claim(eventId, DEDUPE_TTL_MS))) {
      log.info({ event: 'slack.event.duplicate', eventId });
      return;
    }
    await next();
  };
