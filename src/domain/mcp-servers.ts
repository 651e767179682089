/** How Baton gets a credential for a bot's MCP server into the bot's Claude vault. */
export type McpAuthMode = 'none' | 'bearer' | 'oauth';
/** `pending`: saved, not yet declared on the agent (the bot is syncing). */
export type McpServerState = 'pending' | 'connected' | 'needs_login' | 'failed';

export interface McpServer {
  id: string;
  botId: string;
  name: string;
  url: string;
  authMode: McpAuthMode;
  /** The admin trusts every tool of this server: its calls run without asking in the thread. */
  isTrusted: boolean;
  state: McpServerState;
  /** Why the server failed, for the admin. */
  stateDetail: string | null;
  /** The vault credential holding this server's token (bearer or OAuth), when one is set. */
  credentialId: string | null;
  /** When the credential was last written (shown as "set"). */
  credentialSetAt: Date | null;
  createdAt: Date;
}

export const AUTH_MODE_LABEL: Record<McpAuthMode, string> = {
  none: 'No token',
  bearer: 'Bearer token',
  oauth: 'OAuth',
};

/** A bot's agent declares Baton's own server too, and Anthropic allows 20 servers per agent. */
export const MAX_MCP_SERVERS = 19;
export const RESERVED_MCP_NAME = 'baton';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** A problem with a server URL worded for the admin, or undefined when it is usable: https, or http on loopback. */
export function checkMcpUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return 'Enter the full URL of the MCP server, e.g. https://mcp.example.com/mcp.';
  }
  if (url.username || url.password) return 'Leave credentials out of the URL; pick an auth mode instead.';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  return 'Use an https:// URL (http:// only works for localhost).';
}

/** Server names become tool prefixes on the agent: letters, digits, `-` and `_`. */
export function checkMcpName(name: string): string | undefined {
  if (!name) return 'Give the server a name, e.g. linear.';
  if (name.length > 64) return 'Use at most 64 characters.';
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return 'Use letters, digits, - and _ only (no spaces).';
  if (name.toLowerCase() === RESERVED_MCP_NAME) return 'The name "baton" is taken by Baton\'s own tools.';
  return undefined;
}
