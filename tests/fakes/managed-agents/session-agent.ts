import { badRequest, notFound } from './errors';
import { resolveMcpServers, resolveModel, resolveSkills, resolveTools } from './resolve';
import type { FakeState } from './state';
import type { Agent, JsonObject, SessionAgent, StoredResource } from './types';
import { asObject, isObject, optionalString, requireString } from './validate';

const snapshot = (agent: Agent): SessionAgent => ({
  id: agent.id,
  type: 'agent',
  name: agent.name,
  description: agent.description,
  system: agent.system,
  model: agent.model,
  tools: agent.tools,
  mcp_servers: agent.mcp_servers,
  skills: agent.skills,
  execution_identity: agent.execution_identity,
  multiagent: null,
  version: agent.version,
});

/** `agent` on sessions.create: an id (latest version), `{type:'agent', id, version?}` or `agent_with_overrides`. */
export function resolveSessionAgent(state: FakeState, value: unknown): SessionAgent {
  if (value === undefined || value === null) throw badRequest('agent: Field required');
  const ref = typeof value === 'string' ? { type: 'agent', id: value } : asObject(value, 'agent');
  if (ref['type'] !== 'agent' && ref['type'] !== 'agent_with_overrides') {
    throw badRequest("agent.type: Input should be 'agent' or 'agent_with_overrides'");
  }
  const latest = state.getAgent(requireString(ref, 'id', 'agent.id'));
  if (latest.archived_at) throw badRequest(`Agent ${latest.id} is archived.`);
  let agent = latest;
  if (ref['version'] !== undefined && ref['version'] !== null) {
    const found = state.agentVersions.get(latest.id)?.find((v) => v.version === ref['version']);
    if (!found) throw notFound(`Agent ${latest.id} has no version ${String(ref['version'])}.`);
    agent = found;
  }
  const snap = snapshot(agent);
  if (ref['type'] === 'agent_with_overrides') {
    if (ref['model'] !== undefined) snap.model = resolveModel(ref['model'], 'agent.model');
    if (ref['system'] !== undefined) snap.system = optionalString(ref, 'system', 'agent.system') ?? null;
    if (ref['mcp_servers'] !== undefined) snap.mcp_servers = resolveMcpServers(ref['mcp_servers']);
    if (ref['tools'] !== undefined || ref['mcp_servers'] !== undefined) {
      snap.tools = resolveTools(ref['tools'] ?? snap.tools, snap.mcp_servers);
    }
    if (ref['skills'] !== undefined) snap.skills = resolveSkills(ref['skills'], state.skills);
  }
  return snap;
}

const repoName = (url: string): string =>
  url
    .replace(/\.git$/, '')
    .split('/')
    .filter(Boolean)
    .at(-1) ?? 'repo';

/** Builds a session resource; the repo token is kept aside and never echoed. */
export function buildResource(state: FakeState, raw: unknown, path: string): StoredResource {
  const input = asObject(raw, path);
  const now = state.now();
  const base = { id: state.ids.next('sesrsc'), created_at: now, updated_at: now };
  if (input['type'] === 'github_repository') {
    const url = requireString(input, 'url', `${path}.url`);
    const checkout = input['checkout'];
    if (checkout !== undefined && checkout !== null) {
      const c = asObject(checkout, `${path}.checkout`);
      if (c['type'] === 'branch') requireString(c, 'name', `${path}.checkout.name`);
      else if (c['type'] === 'commit') requireString(c, 'sha', `${path}.checkout.sha`);
      else throw badRequest(`${path}.checkout.type: Input should be 'branch' or 'commit'`);
    }
    const token = optionalString(input, 'authorization_token', `${path}.authorization_token`) ?? undefined;
    return {
      resource: {
        ...base,
        type: 'github_repository',
        url,
        mount_path: optionalString(input, 'mount_path') ?? `/workspace/${repoName(url)}`,
        checkout: (checkout as JsonObject | undefined) ?? null,
      },
      ...(token ? { authorizationToken: token } : {}),
    };
  }
  if (input['type'] === 'file') {
    const fileId = requireString(input, 'file_id', `${path}.file_id`);
    const mountPath = optionalString(input, 'mount_path') ?? `/mnt/session/uploads/${fileId}`;
    return { resource: { ...base, type: 'file', file_id: fileId, mount_path: mountPath } };
  }
  if (input['type'] === 'memory_store') {
    const access = input['access'] === 'read_only' ? 'read_only' : 'read_write';
    const memoryStoreId = requireString(input, 'memory_store_id', `${path}.memory_store_id`);
    const instructions = optionalString(input, 'instructions') ?? null;
    return { resource: { ...base, type: 'memory_store', memory_store_id: memoryStoreId, access, instructions } };
  }
  throw badRequest(`${path}.type: Input should be 'github_repository', 'file' or 'memory_store'`);
}

export function validateBudget(value: unknown): JsonObject | null {
  if (value === undefined || value === null) return null;
  const budget = asObject(value, 'budget');
  if (budget['type'] !== 'limit') throw badRequest("budget.type: Input should be 'limit'");
  const cost = budget['max_list_cost'];
  if (!isObject(cost) || typeof cost['amount'] !== 'string' || !/^\d+$/.test(cost['amount'])) {
    throw badRequest('budget.max_list_cost.amount: Input should be a string of minor units');
  }
  return budget;
}
