import { badRequest, conflict, notFound } from '../errors';
import { queryBool, queryInt } from '../http';
import { cursorPage, matchesTimeRange } from '../pagination';
import { resolveMcpServers, resolveModel, resolveSkills, resolveTools } from '../resolve';
import { json, type Route, type RouteContext } from '../router';
import type { Agent } from '../types';
import { asObject, optionalString, patchMetadata, requireString, validateMetadata } from '../validate';

function executionIdentity(value: unknown): Agent['execution_identity'] {
  if (value === undefined || value === null) return { type: 'service_account' };
  const obj = asObject(value, 'execution_identity');
  if (obj['type'] === 'service_account') return { type: 'service_account' };
  if (obj['type'] === 'aws_role')
    return { type: 'aws_role', role_arn: requireString(obj, 'role_arn', 'execution_identity.role_arn') };
  throw badRequest("execution_identity.type: Input should be 'service_account' or 'aws_role'");
}

function createAgent({ state, body }: RouteContext) {
  const input = asObject(body);
  const name = requireString(input, 'name', 'name', 256);
  const model = resolveModel(input['model']);
  const mcpServers = resolveMcpServers(input['mcp_servers']);
  const now = state.now();
  const agent: Agent = {
    id: state.ids.next('agent'),
    type: 'agent',
    name,
    description: optionalString(input, 'description') ?? null,
    system: optionalString(input, 'system') ?? null,
    model,
    tools: resolveTools(input['tools'], mcpServers),
    mcp_servers: mcpServers,
    skills: resolveSkills(input['skills'], state.skills),
    metadata: validateMetadata(input['metadata']),
    multiagent: (input['multiagent'] as Agent['multiagent'] | undefined) ?? null,
    execution_identity: executionIdentity(input['execution_identity']),
    version: 1,
    created_at: now,
    updated_at: now,
    archived_at: null,
  };
  state.agents.set(agent.id, agent);
  state.agentVersions.set(agent.id, [agent]);
  return json(agent);
}

function retrieveAgent({ state, params, query }: RouteContext) {
  const agent = state.getAgent(params['id'] ?? '');
  const version = queryInt(query, 'version');
  if (version === undefined) return json(agent);
  const found = state.agentVersions.get(agent.id)?.find((v) => v.version === version);
  if (!found) throw notFound(`Agent ${agent.id} has no version ${version}.`);
  return json(found);
}

/** Each field replaces the stored one; `metadata` is a patch; `version` is an optimistic-concurrency check. */
function updateAgent({ state, params, body }: RouteContext) {
  const current = state.getAgent(params['id'] ?? '');
  const input = asObject(body);
  if (current.archived_at) throw badRequest(`Agent ${current.id} is archived and cannot be updated.`);
  if (input['version'] !== undefined && input['version'] !== current.version) {
    throw conflict(`Agent ${current.id} is at version ${current.version}, not ${String(input['version'])}.`);
  }
  const has = (key: string) => input[key] !== undefined;
  const mcpServers = has('mcp_servers') ? resolveMcpServers(input['mcp_servers']) : current.mcp_servers;
  const next: Agent = {
    ...current,
    name: has('name') ? requireString(input, 'name', 'name', 256) : current.name,
    description: has('description') ? (optionalString(input, 'description') ?? null) : current.description,
    system: has('system') ? (optionalString(input, 'system') ?? null) : current.system,
    model: has('model') ? resolveModel(input['model']) : current.model,
    mcp_servers: mcpServers,
    tools:
      has('tools') || has('mcp_servers')
        ? resolveTools(has('tools') ? input['tools'] : current.tools, mcpServers)
        : current.tools,
    skills: has('skills') ? resolveSkills(input['skills'], state.skills) : current.skills,
    metadata: patchMetadata(current.metadata, input['metadata']),
    multiagent: has('multiagent') ? ((input['multiagent'] as Agent['multiagent']) ?? null) : current.multiagent,
    execution_identity: has('execution_identity')
      ? executionIdentity(input['execution_identity'])
      : current.execution_identity,
  };
  const strip = (a: Agent) => JSON.stringify({ ...a, updated_at: '', version: 0 });
  if (strip(next) === strip(current)) return json(current);
  const updated: Agent = { ...next, version: current.version + 1, updated_at: state.now() };
  state.agents.set(updated.id, updated);
  state.agentVersions.get(updated.id)?.push(updated);
  return json(updated);
}

function listAgents({ state, query }: RouteContext) {
  const includeArchived = queryBool(query, 'include_archived');
  const agents = [...state.agents.values()].filter(
    (a) => (includeArchived || !a.archived_at) && matchesTimeRange(a.created_at, query),
  );
  return json(cursorPage(agents, query));
}

function archiveAgent({ state, params }: RouteContext) {
  const agent = state.getAgent(params['id'] ?? '');
  if (!agent.archived_at) {
    const now = state.now();
    Object.assign(agent, { archived_at: now, updated_at: now });
  }
  return json(agent);
}

function listVersions({ state, params, query }: RouteContext) {
  const agent = state.getAgent(params['id'] ?? '');
  const versions = [...(state.agentVersions.get(agent.id) ?? [agent])].reverse();
  return json(cursorPage(versions, query));
}

const ma = 'managed-agents' as const;
export const agentRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/agents', family: ma, handle: createAgent },
  { method: 'GET', pattern: '/v1/agents', family: ma, handle: listAgents },
  { method: 'GET', pattern: '/v1/agents/:id', family: ma, handle: retrieveAgent },
  { method: 'POST', pattern: '/v1/agents/:id', family: ma, handle: updateAgent },
  { method: 'POST', pattern: '/v1/agents/:id/archive', family: ma, handle: archiveAgent },
  { method: 'GET', pattern: '/v1/agents/:id/versions', family: ma, handle: listVersions },
];
