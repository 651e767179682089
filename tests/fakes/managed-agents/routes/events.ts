import { badRequest } from '../errors';
import { queryList } from '../http';
import { cursorPage, matchesTimeRange } from '../pagination';
import { json, type Route, type RouteContext } from '../router';

const DELTA_TYPES = ['agent.message', 'agent.thinking'];

/** Default order is `asc`; `created_at[…]` filters compare with `processed_at`. */
function listEvents({ state, params, query }: RouteContext) {
  const session = state.getSession(params['id'] ?? '');
  const types = queryList(query, 'types');
  const order = query.get('order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw badRequest("order: Input should be 'asc' or 'desc'");
  const events = state
    .eventsOf(session.id)
    .filter((e) => (types.length === 0 || types.includes(e.type)) && matchesTimeRange(e.processed_at ?? '', query));
  if (order === 'desc') events.reverse();
  return json(cursorPage(events, query, 1000));
}

function sendEvents({ state, engine, params, body }: RouteContext) {
  const session = state.getSession(params['id'] ?? '');
  return json({ data: engine.send(session, body) });
}

/** Live events only; the SDK sends `Accept: application/json`, so the Accept header is not checked. */
function streamEvents({ state, hub, params, query, res, requestId }: RouteContext) {
  const session = state.getSession(params['id'] ?? '');
  const deltas = queryList(query, 'event_deltas');
  for (const d of deltas) {
    if (!DELTA_TYPES.includes(d)) throw badRequest(`event_deltas: '${d}' is not a delta type`);
  }
  hub.open(session.id, res, new Set(deltas), requestId);
  return { isStreaming: true as const };
}

const ma = 'managed-agents' as const;
export const eventRoutes: Route[] = [
  { method: 'GET', pattern: '/v1/sessions/:id/events', family: ma, handle: listEvents },
  { method: 'POST', pattern: '/v1/sessions/:id/events', family: ma, handle: sendEvents },
  { method: 'GET', pattern: '/v1/sessions/:id/events/stream', family: ma, handle: streamEvents },
];
