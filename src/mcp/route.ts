import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { authenticate } from './caller';
import type { ToolDeps } from './deps';
import { buildMcpServer } from './server';

export const MCP_PATH = '/mcp';

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function handle(deps: ToolDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Stateless: there is no stream to open (GET) or session to end (DELETE); the SDK client reads 405 as "none".
  if (req.method !== 'POST') {
    return json(
      res,
      405,
      { error: 'method_not_allowed', message: 'POST JSON-RPC requests to /mcp.' },
      { Allow: 'POST' },
    );
  }
  const caller = await authenticate(deps, req.headers.authorization, 'mcp');
  if (!caller) {
    return json(
      res,
      401,
      {
        error: 'invalid_token',
        message: 'The token is missing, unknown, revoked or expired, or its session has ended.',
      },
      { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    );
  }
  const server = buildMcpServer(deps, caller);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

/** Baton's MCP server on `/mcp` (Streamable HTTP, stateless, JSON responses), authenticated per request. */
export function mcpRoute(deps: ToolDeps): CustomRoute {
  return {
    path: MCP_PATH,
    method: ['POST', 'GET', 'DELETE'],
    handler: (req, res) => {
      handle(deps, req, res).catch((error: unknown) => {
        deps.log.error({ event: 'mcp.request_failed', err: error });
        if (!res.headersSent)
          json(res, 500, { error: 'internal_error', message: 'Baton could not handle the request.' });
        else res.end();
      });
    },
  };
}
