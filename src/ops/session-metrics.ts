import type { StoredEvent } from '../domain/sessions';
import { metrics } from './metrics';

// Providers stamp their events; the raw payload keeps the stamp under one of these names.
const providerTime = (raw: Record<string, unknown>): number | undefined => {
  const at = raw.processed_at ?? raw.created_at ?? raw.timestamp;
  const ms = typeof at === 'string' ? Date.parse(at) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/** Counts newly stored events of a session, the errors among them, and how long each took to reach the database. */
export function observeStoredEvents(provider: string, events: StoredEvent[]): void {
  metrics.sessionEvents.inc({ provider }, events.length);
  for (const event of events) {
    const createdMs = providerTime(event.raw);
    if (createdMs !== undefined) {
      metrics.eventLag.observe({ provider }, Math.max(0, (event.at.getTime() - createdMs) / 1000));
    }
    if (event.kind === 'error') metrics.providerErrors.inc({ provider, kind: event.errorKind });
  }
}
