import type { StoredEvent } from '../domain/sessions';
import { metrics } from './metrics';

const providerTime = (payload: Record<string, unknown>): number | undefined => {
  const at = payload.processed_at ?? payload.created_at;
  const ms = typeof at === 'string' ? Date.parse(at) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/** Counts newly stored events of a session and how long each took from its provider to Baton's database. */
export function observeStoredEvents(provider: string, events: StoredEvent[]): void {
  metrics.sessionEvents.inc({ provider }, events.length);
  for (const event of events) {
    const createdMs = providerTime(event.payload);
    if (createdMs !== undefined) {
      metrics.eventLag.observe({ provider }, Math.max(0, (event.at.getTime() - createdMs) / 1000));
    }
    if (event.type === 'session.error' || event.type === 'error') {
      metrics.providerErrors.inc({ provider, kind: 'reported' });
    }
  }
}
