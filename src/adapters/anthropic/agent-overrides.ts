import type {
  BetaManagedAgentsAgent,
  BetaManagedAgentsAgentToolConfig,
  BetaManagedAgentsAgentToolConfigParams,
  BetaManagedAgentsMCPToolset,
  BetaManagedAgentsMCPToolsetParams,
} from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { BetaManagedAgentsAgentWithOverridesParams } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { BATON_MCP_SERVER, batonMcpServer, batonMcpToolset } from './baton-mcp';

type ResolvedTool = BetaManagedAgentsAgent['tools'][number];
type ToolParams = NonNullable<BetaManagedAgentsAgentWithOverridesParams['tools']>[number];

const ALWAYS_ALLOW = { type: 'always_allow' } as const;

// The agent comes back resolved (every default filled in); overrides take create params, so copy only their fields.
function toolConfigParams(config: BetaManagedAgentsAgentToolConfig): BetaManagedAgentsAgentToolConfigParams {
  const { enabled, permission_policy } = config;
  if (config.name === 'web_fetch') {
    const { name, allowed_domains, blocked_domains, max_content_tokens, url_sources } = config;
    return { name, enabled, permission_policy, allowed_domains, blocked_domains, max_content_tokens, url_sources };
  }
  if (config.name === 'web_search') {
    const { name, allowed_domains, blocked_domains, user_location } = config;
    return { name, enabled, permission_policy, allowed_domains, blocked_domains, user_location };
  }
  return { name: config.name, enabled, permission_policy };
}

// A trusted server's tools all run without asking, including tools the admin had set to ask one by one.
function mcpToolsetParams(toolset: BetaManagedAgentsMCPToolset, isTrusted: boolean): BetaManagedAgentsMCPToolsetParams {
  const policy = (p: BetaManagedAgentsMCPToolset['default_config']['permission_policy']) =>
    isTrusted ? ALWAYS_ALLOW : p;
  return {
    type: 'mcp_toolset',
    mcp_server_name: toolset.mcp_server_name,
    default_config: {
      enabled: toolset.default_config.enabled,
      permission_policy: policy(toolset.default_config.permission_policy),
    },
    configs: toolset.configs.map((c) => ({
      name: c.name,
      enabled: c.enabled,
      permission_policy: policy(c.permission_policy),
    })),
  };
}

function toolParams(tool: ResolvedTool, trusted: ReadonlySet<string>): ToolParams {
  switch (tool.type) {
    case 'agent_toolset_20260401':
      return {
        type: tool.type,
        default_config: {
          enabled: tool.default_config.enabled,
          permission_policy: tool.default_config.permission_policy,
        },
        configs: tool.configs.map(toolConfigParams),
      };
    case 'mcp_toolset':
      return mcpToolsetParams(tool, trusted.has(tool.mcp_server_name));
    case 'custom':
      return { type: tool.type, name: tool.name, description: tool.description, input_schema: tool.input_schema };
    default:
      // A tool type newer than this SDK: hand it back as the API gave it rather than drop it from the session.
      return tool as ToolParams;
  }
}

/**
 * The admin's own agent (pinned to its current version) plus Baton's MCP server for this session only; the stored
 * agent is not changed. A server the agent already calls `baton` is replaced, since the name is Baton's.
 */
export function withBatonMcp(
  agent: BetaManagedAgentsAgent,
  mcpUrl: string,
  trustedMcpServers: readonly string[] = [],
): BetaManagedAgentsAgentWithOverridesParams {
  const trusted = new Set(trustedMcpServers);
  const isOurs = (name: string) => name === BATON_MCP_SERVER;
  return {
    type: 'agent_with_overrides',
    id: agent.id,
    version: agent.version,
    mcp_servers: [
      ...agent.mcp_servers.filter((s) => !isOurs(s.name)).map(({ type, name, url }) => ({ type, name, url })),
      batonMcpServer(mcpUrl),
    ],
    tools: [
      ...agent.tools
        .filter((t) => !(t.type === 'mcp_toolset' && isOurs(t.mcp_server_name)))
        .map((t) => toolParams(t, trusted)),
      batonMcpToolset(),
    ],
  };
}
