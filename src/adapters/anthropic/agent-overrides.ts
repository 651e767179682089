import type {
  BetaManagedAgentsAgent,
  BetaManagedAgentsAgentToolConfig,
  BetaManagedAgentsAgentToolConfigParams,
  BetaManagedAgentsMCPToolset,
  BetaManagedAgentsMCPToolsetParams,
} from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { BetaManagedAgentsAgentWithOverridesParams } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { BATON_MCP_SERVER, batonMcpServer, batonMcpToolset } from './baton-mcp';
import { GITHUB_MCP_SERVER, githubMcpServer, githubMcpToolset } from './github-mcp';

type ResolvedTool = BetaManagedAgentsAgent['tools'][number];
type ToolParams = NonNullable<BetaManagedAgentsAgentWithOverridesParams['tools']>[number];

const ALWAYS_ALLOW = { type: 'always_allow' } as const;
const ALWAYS_ASK = { type: 'always_ask' } as const;

/** Which external MCP tools run without asking: the ones the agent allows plus `trusted`, or none (`isAlwaysAsk`). */
export type McpApproval = { trusted: readonly string[] } | { isAlwaysAsk: true };
type ToolsetApproval = 'trusted' | 'ask' | 'as_set';

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

// A trusted server's tools all run without asking, including tools the admin had set to ask one by one; under a
// channel's always-ask rule every tool asks, including ones the agent allows.
function mcpToolsetParams(
  toolset: BetaManagedAgentsMCPToolset,
  approval: ToolsetApproval,
): BetaManagedAgentsMCPToolsetParams {
  const policy = (p: BetaManagedAgentsMCPToolset['default_config']['permission_policy']) =>
    approval === 'trusted' ? ALWAYS_ALLOW : approval === 'ask' ? ALWAYS_ASK : p;
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

function toolParams(tool: ResolvedTool, approvalOf: (server: string) => ToolsetApproval): ToolParams {
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
      return mcpToolsetParams(tool, approvalOf(tool.mcp_server_name));
    case 'custom':
      return { type: tool.type, name: tool.name, description: tool.description, input_schema: tool.input_schema };
    default:
      // A tool type newer than this SDK: hand it back as the API gave it rather than drop it from the session.
      return tool as ToolParams;
  }
}

/**
 * The agent (pinned to its current version) plus Baton's MCP server for this session only, and GitHub's when the
 * session mounts repositories; the stored agent is not changed. Servers the agent already calls `baton` (or
 * `github`, when the session brings GitHub's) are replaced: the session's credentials are for Baton's.
 */
export function withBatonMcp(
  agent: BetaManagedAgentsAgent,
  mcpUrl: string,
  approval: McpApproval = { trusted: [] },
  github?: { url: string; isTrusted: boolean },
): BetaManagedAgentsAgentWithOverridesParams {
  const trusted = new Set('trusted' in approval ? approval.trusted : []);
  const approvalOf = (server: string): ToolsetApproval =>
    'isAlwaysAsk' in approval ? 'ask' : trusted.has(server) ? 'trusted' : 'as_set';
  const isOurs = (name: string) => name === BATON_MCP_SERVER || (github !== undefined && name === GITHUB_MCP_SERVER);
  return {
    type: 'agent_with_overrides',
    id: agent.id,
    version: agent.version,
    mcp_servers: [
      ...agent.mcp_servers.filter((s) => !isOurs(s.name)).map(({ type, name, url }) => ({ type, name, url })),
      batonMcpServer(mcpUrl),
      ...(github ? [githubMcpServer(github.url)] : []),
    ],
    tools: [
      ...agent.tools
        .filter((t) => !(t.type === 'mcp_toolset' && isOurs(t.mcp_server_name)))
        .map((t) => toolParams(t, approvalOf)),
      batonMcpToolset(),
      ...(github ? [githubMcpToolset(github.isTrusted)] : []),
    ],
  };
}
