import type {
  BetaManagedAgentsMCPToolsetParams,
  BetaManagedAgentsURLMCPServerParams,
} from '@anthropic-ai/sdk/resources/beta/agents/agents';

/** The name GitHub's MCP server goes by on a session's agent (tools `github.create_pull_request`, …). */
export const GITHUB_MCP_SERVER = 'github';

export const githubMcpServer = (url: string): BetaManagedAgentsURLMCPServerParams => ({
  type: 'url',
  name: GITHUB_MCP_SERVER,
  url,
});

// The token reaches only the repositories an admin chose, so opening a pull request needs no click; a channel rule
// that always asks still applies.
export const githubMcpToolset = (isTrusted: boolean): BetaManagedAgentsMCPToolsetParams => ({
  type: 'mcp_toolset',
  mcp_server_name: GITHUB_MCP_SERVER,
  default_config: { permission_policy: { type: isTrusted ? 'always_allow' : 'always_ask' } },
});
