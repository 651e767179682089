import type { BetaCloudConfig } from '@anthropic-ai/sdk/resources/beta/environments/environments';
import { badRequest, conflict } from '../errors';
import { queryBool } from '../http';
import { cursorPage } from '../pagination';
import { json, type Route, type RouteContext } from '../router';
import type { Environment } from '../types';
import { asObject, optionalString, patchMetadata, requireString, validateMetadata } from '../validate';

const PACKAGE_MANAGERS = ['apt', 'cargo', 'gem', 'go', 'npm', 'pip'] as const;

function stringList(value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw badRequest(`${path}: Input should be a list of strings`);
  return value as string[];
}

function resolveConfig(value: unknown): Environment['config'] {
  if (value === undefined || value === null) return resolveConfig({ type: 'cloud' });
  const obj = asObject(value, 'config');
  if (obj['type'] === 'self_hosted') return { type: 'self_hosted' };
  if (obj['type'] !== 'cloud') throw badRequest("config.type: Input should be 'cloud' or 'self_hosted'");
  const net =
    obj['networking'] === undefined || obj['networking'] === null
      ? { type: 'unrestricted' }
      : asObject(obj['networking'], 'config.networking');
  let networking: BetaCloudConfig['networking'];
  if (net['type'] === 'unrestricted') networking = { type: 'unrestricted' };
  else if (net['type'] === 'limited') {
    networking = {
      type: 'limited',
      allowed_hosts: stringList(net['allowed_hosts'], 'config.networking.allowed_hosts'),
      allow_mcp_servers: net['allow_mcp_servers'] === true,
      allow_package_managers: net['allow_package_managers'] === true,
    };
  } else throw badRequest("config.networking.type: Input should be 'unrestricted' or 'limited'");
  const pkgs =
    obj['packages'] === undefined || obj['packages'] === null ? {} : asObject(obj['packages'], 'config.packages');
  const packages = { type: 'packages' as const } as BetaCloudConfig['packages'];
  for (const pm of PACKAGE_MANAGERS) packages[pm] = stringList(pkgs[pm], `config.packages.${pm}`);
  return { type: 'cloud', networking, packages };
}

function checkNameFree(envs: Iterable<Environment>, name: string, exceptId?: string): void {
  for (const env of envs) {
    if (env.name === name && env.id !== exceptId && !env.archived_at)
      throw conflict(`An environment named '${name}' already exists.`);
  }
}

function createEnvironment({ state, body }: RouteContext) {
  const input = asObject(body);
  const name = requireString(input, 'name', 'name', 256);
  checkNameFree(state.environments.values(), name);
  const now = state.now();
  const env: Environment = {
    id: state.ids.next('env'),
    type: 'environment',
    name,
    description: optionalString(input, 'description') ?? null,
    config: resolveConfig(input['config']),
    metadata: validateMetadata(input['metadata'], 'invalid_metadata'),
    created_at: now,
    updated_at: now,
    archived_at: null,
  };
  const scope = input['scope'];
  if (scope === 'organization' || scope === 'account') env.scope = scope;
  state.environments.set(env.id, env);
  return json(env);
}

function updateEnvironment({ state, params, body }: RouteContext) {
  const env = state.getEnvironment(params['id'] ?? '');
  const input = asObject(body);
  if (env.archived_at) throw badRequest(`Environment ${env.id} is archived.`, 'environment_archived');
  const next: Environment = { ...env, metadata: patchMetadata(env.metadata, input['metadata'], 'invalid_metadata') };
  if (input['name'] !== undefined && input['name'] !== null) {
    next.name = requireString(input, 'name', 'name', 256);
    checkNameFree(state.environments.values(), next.name, env.id);
  }
  if (input['description'] !== undefined) next.description = optionalString(input, 'description') ?? null;
  if (input['config'] !== undefined && input['config'] !== null) {
    next.config = resolveConfig(input['config']);
    if (next.config.type !== env.config.type) {
      throw badRequest('config.type cannot be changed after creation.', 'invalid_config_type_change');
    }
  }
  if (input['scope'] === 'organization' || input['scope'] === 'account') next.scope = input['scope'];
  next.updated_at = state.now();
  state.environments.set(env.id, next);
  return json(next);
}

function listEnvironments({ state, query }: RouteContext) {
  const includeArchived = queryBool(query, 'include_archived');
  return json(
    cursorPage(
      [...state.environments.values()].filter((e) => includeArchived || !e.archived_at),
      query,
    ),
  );
}

function archiveEnvironment({ state, params }: RouteContext) {
  const env = state.getEnvironment(params['id'] ?? '');
  if (!env.archived_at) {
    const now = state.now();
    Object.assign(env, { archived_at: now, updated_at: now });
  }
  return json(env);
}

function deleteEnvironment({ state, params }: RouteContext) {
  const env = state.getEnvironment(params['id'] ?? '');
  state.environments.delete(env.id);
  return json({ id: env.id, type: 'environment_deleted' });
}

const ma = 'managed-agents' as const;
export const environmentRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/environments', family: ma, handle: createEnvironment },
  { method: 'GET', pattern: '/v1/environments', family: ma, handle: listEnvironments },
  {
    method: 'GET',
    pattern: '/v1/environments/:id',
    family: ma,
    handle: (c) => json(c.state.getEnvironment(c.params['id'] ?? '')),
  },
  { method: 'POST', pattern: '/v1/environments/:id', family: ma, handle: updateEnvironment },
  { method: 'DELETE', pattern: '/v1/environments/:id', family: ma, handle: deleteEnvironment },
  { method: 'POST', pattern: '/v1/environments/:id/archive', family: ma, handle: archiveEnvironment },
];
