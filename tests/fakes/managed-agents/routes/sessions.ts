import { badRequest } from '../errors';
import { queryBool, queryInt, queryList } from '../http';
import { bidirectionalPage, matchesTimeRange } from '../pagination';
import { resolveMcpServers, resolveTools } from '../resolve';
import { json, type Route, type RouteContext } from '../router';
import { buildResource, resolveSessionAgent, validateBudget } from '../session-agent';
import type { JsonObject, Session } from '../types';
import { asObject, optionalArray, optionalString, patchMetadata, validateMetadata } from '../validate';

function vaultIds(ctx: RouteContext, value: unknown): string[] {
  const ids = optionalArray({ v: value }, 'v', 'vault_ids') ?? [];
  return ids.map((id, i) => {
    if (typeof id !== 'string') throw badRequest(`vault_ids[${i}]: Input should be a valid string`);
    if (ctx.state.getVault(id).archived_at) throw badRequest(`Vault ${id} is archived.`);
    return id;
  });
}

function createSession(ctx: RouteContext) {
  const { state, engine } = ctx;
  const input = asObject(ctx.body);
  const agent = resolveSessionAgent(state, input['agent']);
  if (input['environment_id'] === undefined || input['environment_id'] === null)
    throw badRequest('environment_id: Field required');
  const env = state.getEnvironment(String(input['environment_id']));
  if (env.archived_at) throw badRequest(`Environment ${env.id} is archived.`, 'environment_archived');
  const initialEvents = optionalArray(input, 'initial_events') ?? [];
  if (initialEvents.length > 50) throw badRequest('initial_events: at most 50 events');
  const resources = (optionalArray(input, 'resources') ?? []).map((r, i) => buildResource(state, r, `resources[${i}]`));
  const now = state.now();
  const session: Session = {
    id: state.ids.next('sesn'),
    type: 'session',
    status: 'idle',
    title: optionalString(input, 'title') ?? null,
    environment_id: env.id,
    metadata: validateMetadata(input['metadata']),
    vault_ids: vaultIds(ctx, input['vault_ids']),
    agent,
    resources: resources.map((r) => r.resource) as unknown as Session['resources'],
    usage: {},
    stats: {},
    budget: validateBudget(input['budget']) as Session['budget'],
    outcome_evaluations: [],
    created_at: now,
    updated_at: now,
    archived_at: null,
  };
  state.sessions.set(session.id, session);
  state.created.set(session.id, session);
  state.sessionResources.set(session.id, resources);
  state.eventsOf(session.id);
  if (initialEvents.length > 0) {
    try {
      engine.send(session, { events: initialEvents }, ['user.message']);
    } catch (err) {
      state.sessions.delete(session.id);
      state.created.delete(session.id);
      throw err;
    }
  }
  return json(session);
}

function updateSession(ctx: RouteContext) {
  const { state, engine } = ctx;
  const session = state.getSession(ctx.params['id'] ?? '');
  const input = asObject(ctx.body);
  if (session.archived_at) throw badRequest(`Session ${session.id} is archived.`);
  if (input['vault_ids'] !== undefined) throw badRequest('vault_ids: updating vault_ids is not yet supported');
  const changed: JsonObject = {};
  if (input['title'] !== undefined) session.title = changed['title'] = optionalString(input, 'title') ?? null;
  if (input['metadata'] !== undefined)
    session.metadata = changed['metadata'] = patchMetadata(session.metadata, input['metadata']);
  if (input['budget'] !== undefined) {
    if (session.budget === null && input['budget'] !== null)
      throw badRequest('budget: a budget cannot be added to an existing session');
    const budget = validateBudget(input['budget']) as Session['budget'];
    const spent = Number((session.usage as { list_cost?: { amount?: string } }).list_cost?.amount ?? 0);
    if (budget && Number(budget.max_list_cost.amount) <= spent)
      throw badRequest('budget: budget_not_raised: the new budget must be above the cost the session has consumed');
    session.budget = changed['budget'] = budget;
  }
  if (input['agent'] !== undefined) {
    if (engine.isTurnActive(session.id) || session.status === 'running')
      throw badRequest('agent: cannot update the agent of a running session');
    const patch = asObject(input['agent'], 'agent');
    const servers =
      patch['mcp_servers'] !== undefined ? resolveMcpServers(patch['mcp_servers']) : session.agent.mcp_servers;
    const tools = patch['tools'] !== undefined ? patch['tools'] : session.agent.tools;
    session.agent = changed['agent'] = { ...session.agent, mcp_servers: servers, tools: resolveTools(tools, servers) };
  }
  session.updated_at = state.now();
  if (Object.keys(changed).length > 0) ctx.log.emit(session.id, { type: 'session.updated', ...changed });
  return json(session);
}

function listSessions({ state, query }: RouteContext) {
  const includeArchived = queryBool(query, 'include_archived');
  const statuses = queryList(query, 'statuses');
  const agentId = query.get('agent_id');
  const agentVersion = queryInt(query, 'agent_version');
  const order = query.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw badRequest("order: Input should be 'asc' or 'desc'");
  const sessions = [...state.sessions.values()].filter(
    (s) =>
      (includeArchived || !s.archived_at) &&
      (statuses.length === 0 || statuses.includes(s.status)) &&
      (agentId === null || s.agent.id === agentId) &&
      (agentVersion === undefined || s.agent.version === agentVersion) &&
      matchesTimeRange(s.created_at, query),
  );
  if (order === 'desc') sessions.reverse();
  return json(bidirectionalPage(sessions, query));
}

/** Emits `session.deleted` (which ends open streams), then forgets the session. */
export function deleteSession(ctx: Pick<RouteContext, 'state' | 'engine' | 'hub' | 'log'>, sessionId: string) {
  const session = ctx.state.getSession(sessionId);
  ctx.engine.cancel(session.id);
  ctx.log.emit(session.id, { type: 'session.deleted' });
  ctx.hub.cut(session.id, 'end');
  ctx.state.sessions.delete(session.id);
  ctx.state.sessionResources.delete(session.id);
  ctx.state.events.delete(session.id);
  return { id: session.id, type: 'session_deleted' };
}

function archiveSession({ state, engine, params }: RouteContext) {
  const session = state.getSession(params['id'] ?? '');
  if (!session.archived_at) {
    engine.cancel(session.id);
    const now = state.now();
    Object.assign(session, { archived_at: now, updated_at: now });
  }
  return json(session);
}

const ma = 'managed-agents' as const;
export const sessionRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/sessions', family: ma, handle: createSession },
  { method: 'GET', pattern: '/v1/sessions', family: ma, handle: listSessions },
  {
    method: 'GET',
    pattern: '/v1/sessions/:id',
    family: ma,
    handle: (c) => json(c.state.getSession(c.params['id'] ?? '')),
  },
  { method: 'POST', pattern: '/v1/sessions/:id', family: ma, handle: updateSession },
  {
    method: 'DELETE',
    pattern: '/v1/sessions/:id',
    family: ma,
    handle: (c) => json(deleteSession(c, c.params['id'] ?? '')),
  },
  { method: 'POST', pattern: '/v1/sessions/:id/archive', family: ma, handle: archiveSession },
];
