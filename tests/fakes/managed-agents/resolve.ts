import type { FakeSkills } from './skills';
import type {
  BetaManagedAgentsAlwaysAllowPolicy,
  BetaManagedAgentsAlwaysAskPolicy,
  BetaManagedAgentsAutoPolicy,
  BetaManagedAgentsMCPServerURLDefinition,
  BetaManagedAgentsModelConfig,
} from '@anthropic-ai/sdk/resources/beta/agents/agents';
import { badRequest } from './errors';
import type { Agent, AgentTool, JsonObject } from './types';
import { asObject, isObject, optionalArray, requireString } from './validate';

type Policy = BetaManagedAgentsAlwaysAllowPolicy | BetaManagedAgentsAlwaysAskPolicy | BetaManagedAgentsAutoPolicy;

const BUILT_IN_TOOLS = ['bash', 'read', 'write', 'edit', 'glob', 'grep', 'web_fetch', 'web_search'];
const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'];
const WEB_TOOL_EXTRAS = ['allowed_domains', 'blocked_domains', 'max_content_tokens', 'url_sources', 'user_location'];

/** `model` may be sent as a string; the API always answers with an object. */
export function resolveModel(value: unknown, path = 'model'): BetaManagedAgentsModelConfig {
  if (value === undefined || value === null) throw badRequest(`${path}: Field required`);
  if (typeof value === 'string') {
    if (!value) throw badRequest(`${path}: String should have at least 1 character`);
    return { id: value, effort: { type: 'high' } };
  }
  const obj = asObject(value, path);
  const model: BetaManagedAgentsModelConfig = { id: requireString(obj, 'id', `${path}.id`) };
  const effort = obj['effort'];
  const effortType = isObject(effort) ? effort['type'] : (effort ?? 'high');
  if (typeof effortType !== 'string' || !EFFORTS.includes(effortType))
    throw badRequest(`${path}.effort: invalid effort`);
  model.effort = { type: effortType } as BetaManagedAgentsModelConfig['effort'];
  if (obj['speed'] === 'standard' || obj['speed'] === 'fast') model.speed = obj['speed'];
  if (typeof obj['inference_geo'] === 'string') model.inference_geo = obj['inference_geo'];
  return model;
}

function resolvePolicy(value: unknown, fallback: Policy, path: string): Policy {
  if (value === undefined || value === null) return fallback;
  const type = asObject(value, path)['type'];
  if (type !== 'always_allow' && type !== 'always_ask' && type !== 'auto') {
    throw badRequest(`${path}.type: Input should be 'always_allow', 'always_ask' or 'auto'`);
  }
  return { type };
}

function resolveDefaultConfig(value: unknown, fallback: Policy, path: string) {
  const obj = value === undefined || value === null ? {} : asObject(value, path);
  return {
    enabled: typeof obj['enabled'] === 'boolean' ? obj['enabled'] : true,
    permission_policy: resolvePolicy(obj['permission_policy'], fallback, `${path}.permission_policy`),
  };
}

export function resolveMcpServers(value: unknown): BetaManagedAgentsMCPServerURLDefinition[] {
  const list = value === undefined || value === null ? [] : optionalArray({ v: value }, 'v', 'mcp_servers');
  const servers = (list ?? []).map((raw, i) => {
    const obj = asObject(raw, `mcp_servers[${i}]`);
    if (obj['type'] !== 'url') throw badRequest(`mcp_servers[${i}].type: Input should be 'url'`);
    const name = requireString(obj, 'name', `mcp_servers[${i}].name`, 255);
    return { type: 'url' as const, name, url: requireString(obj, 'url', `mcp_servers[${i}].url`) };
  });
  if (servers.length > 20) throw badRequest('mcp_servers: at most 20 MCP servers per agent');
  const names = new Set(servers.map((s) => s.name));
  if (names.size !== servers.length) throw badRequest('mcp_servers: server names must be unique');
  return servers;
}

function resolveTool(raw: unknown, i: number, serverNames: Set<string>): AgentTool {
  const path = `tools[${i}]`;
  const obj = asObject(raw, path);
  if (obj['type'] === 'agent_toolset_20260401') {
    const defaults = resolveDefaultConfig(obj['default_config'], { type: 'always_allow' }, `${path}.default_config`);
    const configs = (optionalArray(obj, 'configs', `${path}.configs`) ?? []).map((c, j) => {
      const cfg = asObject(c, `${path}.configs[${j}]`);
      const name = requireString(cfg, 'name', `${path}.configs[${j}].name`);
      if (!BUILT_IN_TOOLS.includes(name)) throw badRequest(`${path}.configs[${j}].name: unknown tool '${name}'`);
      const resolved: JsonObject = {
        name,
        type: name,
        enabled: typeof cfg['enabled'] === 'boolean' ? cfg['enabled'] : defaults.enabled,
        permission_policy: resolvePolicy(cfg['permission_policy'], defaults.permission_policy, `${path}.configs[${j}]`),
      };
      if (name === 'web_fetch') resolved['url_sources'] = cfg['url_sources'] ?? null;
      for (const key of WEB_TOOL_EXTRAS) if (cfg[key] !== undefined && key !== 'url_sources') resolved[key] = cfg[key];
      return resolved;
    });
    return { type: 'agent_toolset_20260401', default_config: defaults, configs } as unknown as AgentTool;
  }
  if (obj['type'] === 'mcp_toolset') {
    const server = requireString(obj, 'mcp_server_name', `${path}.mcp_server_name`);
    if (!serverNames.has(server)) throw badRequest(`${path}.mcp_server_name: no MCP server named '${server}'`);
    // MCP toolsets default to always_ask so tools newly added to a server never run unapproved.
    const defaults = resolveDefaultConfig(obj['default_config'], { type: 'always_ask' }, `${path}.default_config`);
    const configs = (optionalArray(obj, 'configs', `${path}.configs`) ?? []).map((c, j) => {
      const cfg = asObject(c, `${path}.configs[${j}]`);
      return {
        name: requireString(cfg, 'name', `${path}.configs[${j}].name`),
        enabled: typeof cfg['enabled'] === 'boolean' ? cfg['enabled'] : defaults.enabled,
        permission_policy: resolvePolicy(cfg['permission_policy'], defaults.permission_policy, `${path}.configs[${j}]`),
      };
    });
    return { type: 'mcp_toolset', mcp_server_name: server, default_config: defaults, configs };
  }
  if (obj['type'] === 'custom') {
    const name = requireString(obj, 'name', `${path}.name`, 128);
    if (!/^[A-Za-z0-9_-]+$/.test(name)) throw badRequest(`${path}.name: must match ^[A-Za-z0-9_-]+$`);
    const schema = asObject(obj['input_schema'], `${path}.input_schema`);
    if (schema['type'] !== 'object') throw badRequest(`${path}.input_schema.type: Input should be 'object'`);
    return {
      type: 'custom',
      name,
      description: requireString(obj, 'description', `${path}.description`),
      input_schema: { ...schema, type: 'object' },
    };
  }
  throw badRequest(`${path}.type: unknown tool type '${String(obj['type'])}'`);
}

/** Resolves tools against the MCP servers; every server must be referenced by an `mcp_toolset`. */
export function resolveTools(value: unknown, servers: BetaManagedAgentsMCPServerURLDefinition[]): AgentTool[] {
  const list = value === undefined || value === null ? [] : (optionalArray({ v: value }, 'v', 'tools') ?? []);
  if (list.length > 256) throw badRequest('tools: at most 256 tools');
  const serverNames = new Set(servers.map((s) => s.name));
  const tools = list.map((raw, i) => resolveTool(raw, i, serverNames));
  const referenced = new Set(tools.flatMap((t) => (t.type === 'mcp_toolset' ? [t.mcp_server_name] : [])));
  for (const server of servers) {
    if (!referenced.has(server.name))
      throw badRequest(`mcp_servers: server '${server.name}' is not referenced by any mcp_toolset`);
  }
  return tools;
}

export function resolveSkills(value: unknown, skills: FakeSkills): Agent['skills'] {
  const list = value === undefined || value === null ? [] : (optionalArray({ v: value }, 'v', 'skills') ?? []);
  if (list.length > 20) throw badRequest('skills: at most 20 skills');
  return list.map((raw, i) => {
    const obj = asObject(raw, `skills[${i}]`);
    const type = obj['type'];
    if (type !== 'anthropic' && type !== 'custom')
      throw badRequest(`skills[${i}].type: Input should be 'anthropic' or 'custom'`);
    const skillId = requireString(obj, 'skill_id', `skills[${i}].skill_id`);
    const given = typeof obj['version'] === 'string' ? obj['version'] : undefined;
    return { type, skill_id: skillId, version: skills.resolveVersion(type, skillId, given, `skills[${i}]`) };
  });
}

/** The permission an MCP call gets under the agent's toolset config (the MCP default is always_ask). */
export function mcpPolicyFor(tools: AgentTool[], server: string, toolName: string): Policy['type'] | 'disabled' {
  const toolset = tools.find((t) => t.type === 'mcp_toolset' && t.mcp_server_name === server);
  if (!toolset || toolset.type !== 'mcp_toolset') return 'always_ask';
  const config = toolset.configs.find((c) => c.name === toolName);
  if (!(config?.enabled ?? toolset.default_config.enabled)) return 'disabled';
  return (config?.permission_policy ?? toolset.default_config.permission_policy).type;
}

export function builtInPolicyFor(tools: AgentTool[], toolName: string): Policy['type'] {
  const toolset = tools.find((t) => t.type === 'agent_toolset_20260401');
  if (!toolset || toolset.type !== 'agent_toolset_20260401') return 'always_allow';
  const config = toolset.configs.find((c) => c.name === toolName);
  return (config?.permission_policy ?? toolset.default_config.permission_policy).type;
}
