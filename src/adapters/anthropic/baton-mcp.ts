import type {
  BetaManagedAgentsMCPToolsetParams,
  BetaManagedAgentsURLMCPServerParams,
} from '@anthropic-ai/sdk/resources/beta/agents/agents';

/** The name Baton's MCP server goes by on an agent; credentials are matched by URL, tools by this name. */
export const BATON_MCP_SERVER = 'baton';

export const batonMcpServer = (url: string): BetaManagedAgentsURLMCPServerParams => ({
  type: 'url',
  name: BATON_MCP_SERVER,
  url,
});

// Baton's own tools (post to the thread, read it) are what the agent is for; asking the user first defeats that.
export const batonMcpToolset = (): BetaManagedAgentsMCPToolsetParams => ({
  type: 'mcp_toolset',
  mcp_server_name: BATON_MCP_SERVER,
  default_config: { permission_policy: { type: 'always_allow' } },
});
