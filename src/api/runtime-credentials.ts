import type { AccessTokenRepository } from '../../models/access-tokens';
import type { Bot } from '../domain/bots';
import type { Session } from '../domain/sessions';
import { MCP_TOKEN_TTL_MS } from '../mcp/session-tokens';

export interface IssuedCredentials {
  mcp: { url: string; token: string };
  api: { url: string; token: string };
  expires_at: string;
}

/**
 * A Self-hosted runtime's credentials for one session, fetched over the callback API (never sent in a webhook): an
 * MCP token and an API token bound to the session, both dead when the session ends.
 */
export function runtimeCredentials(
  tokens: Pick<AccessTokenRepository, 'create'>,
  urls: { mcpUrl: string; apiUrl: string },
  ttlMs = MCP_TOKEN_TTL_MS,
) {
  return async (session: Session, bot: Bot): Promise<IssuedCredentials> => {
    const expiresAt = new Date(Date.now() + ttlMs);
    const common = { teamId: session.teamId, botId: bot.id, sessionId: session.id, scope: bot.toolMode, expiresAt };
    const mcp = await tokens.create({ kind: 'mcp', ...common });
    const api = await tokens.create({ kind: 'api', ...common, label: `Session ${session.id}`, createdBy: 'baton' });
    return {
      mcp: { url: urls.mcpUrl, token: mcp.token },
      api: { url: urls.apiUrl, token: api.token },
      expires_at: expiresAt.toISOString(),
    };
  };
}
