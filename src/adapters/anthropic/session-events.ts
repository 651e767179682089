import type Anthropic from '@anthropic-ai/sdk';
import type {
  BetaManagedAgentsSessionEvent,
  BetaManagedAgentsStreamSessionEvents,
} from '@anthropic-ai/sdk/resources/beta/sessions/events';
import type { BatonEvent } from '../../domain/events';
import { ProviderError } from '../../ports/agent-provider';
import { isNotFound } from './errors';
import { redactError, toProviderError } from './provider-errors';
import { ManagedAgentsTranslator } from './translate';

type SessionEvent = BetaManagedAgentsSessionEvent | BetaManagedAgentsStreamSessionEvents;

const STREAM_BROKE =
  'The live connection to Claude dropped before the turn ended. Reconnecting picks up where it stopped.';

/** The session waits for the user after this event: the turn is over, or the session is. */
export function endsTurn(event: SessionEvent): boolean {
  if (event.type === 'session.status_idle') return event.stop_reason.type !== 'requires_action';
  return event.type === 'session.status_terminated' || event.type === 'session.deleted';
}

const idOf = (event: SessionEvent): string => ('id' in event && typeof event.id === 'string' ? event.id : '');

/** A finished session's stream may stay open with nothing more to say, so ask whether anything is still running. */
async function isAtRest(client: Anthropic, sessionId: string, signal: AbortSignal): Promise<boolean> {
  try {
    const { status } = await client.beta.sessions.retrieve(sessionId, {}, { signal });
    return status === 'idle' || status === 'terminated';
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
}

/**
 * `ProviderConnection.events` for Managed Agents (§2.6 of the reference): the stream is opened before the history is
 * listed, so nothing falls between the two, and duplicates are dropped by id. Every event, seen or not, goes through
 * one translator (it carries the turn's answer across them); only new ones that mean something to Baton are yielded.
 */
export async function* sessionEvents(
  client: Anthropic,
  apiKey: string,
  sessionId: string,
  seen: ReadonlySet<string>,
  signal: AbortSignal,
): AsyncGenerator<BatonEvent> {
  if (signal.aborted) return;
  const yielded = new Set<string>();
  const translator = new ManagedAgentsTranslator();
  let local = 0;
  const isNew = (event: SessionEvent): boolean => {
    const id = idOf(event);
    if (!id) return true;
    if (seen.has(id) || yielded.has(id)) return false;
    yielded.add(id);
    return true;
  };
  /** The event in Baton's words when it is new and means something; every event updates the translator. */
  const fresh = (event: SessionEvent): BatonEvent[] => {
    const raw = event as unknown as Record<string, unknown>;
    const translated = translator.translate(raw, `local-${Date.now()}-${++local}`);
    return isNew(event) ? translated : [];
  };

  let stream: Awaited<ReturnType<Anthropic['beta']['sessions']['events']['stream']>> | undefined;
  const abort = () => stream?.controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  try {
    // No event_deltas: previews are never persisted, so Baton has no use for them.
    stream = await client.beta.sessions.events.stream(sessionId, {}, { signal });
    let last: SessionEvent | undefined;
    for await (const event of client.beta.sessions.events.list(sessionId, {}, { signal })) {
      last = event;
      yield* fresh(event);
    }
    if (last && endsTurn(last) && (await isAtRest(client, sessionId, signal))) return;

    const live = stream[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<BetaManagedAgentsStreamSessionEvents>;
      try {
        next = await live.next();
      } catch (error) {
        if (signal.aborted) return;
        redactError(error, [apiKey]);
        throw new ProviderError('stream', STREAM_BROKE, { cause: error });
      }
      if (signal.aborted) return;
      if (next.done) throw new ProviderError('stream', STREAM_BROKE);
      const event = next.value;
      if (event.type === 'event_start' || event.type === 'event_delta') continue;
      const translated = translator.translate(
        event as unknown as Record<string, unknown>,
        `local-${Date.now()}-${++local}`,
      );
      if (!isNew(event)) continue;
      yield* translated;
      if (endsTurn(event)) return;
    }
  } catch (error) {
    if (signal.aborted && !(error instanceof ProviderError)) return;
    throw toProviderError(error, [apiKey]);
  } finally {
    signal.removeEventListener('abort', abort);
    stream?.controller.abort();
  }
}
