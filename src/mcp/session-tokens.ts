import type { AccessTokenRepository } from '../../models/access-tokens';
import type { Bot } from '../domain/bots';
import type { Session } from '../domain/sessions';
import type { McpTokenIssuer } from '../sessions/deps';

/** The longest a session's MCP token lives, even if nobody ends the session; it also dies when the session ends. */
export const MCP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** Issues the one MCP token of a session, scoped to the bot's tool mode at the start. */
export class SessionTokens implements McpTokenIssuer {
  constructor(
    private readonly tokens: Pick<AccessTokenRepository, 'create' | 'revokeForSession'>,
    private readonly ttlMs = MCP_TOKEN_TTL_MS,
  ) {}

  async issue(session: Session, bot: Bot): Promise<string> {
    const { token } = await this.tokens.create({
      kind: 'mcp',
      teamId: session.teamId,
      botId: bot.id,
      sessionId: session.id,
      scope: bot.toolMode,
      expiresAt: new Date(Date.now() + this.ttlMs),
    });
    return token;
  }

  async issueDirectApi(session: Session, bot: Bot): Promise<string | undefined> {
    if (!bot.allowDirectApi) return undefined;
    const { token } = await this.tokens.create({
      kind: 'api',
      teamId: session.teamId,
      botId: bot.id,
      scope: bot.toolMode,
      label: `Session ${session.id}`,
      createdBy: 'baton',
      sessionId: session.id,
      expiresAt: new Date(Date.now() + this.ttlMs),
    });
    return token;
  }

  revokeForSession(sessionId: string): Promise<void> {
    return this.tokens.revokeForSession(sessionId);
  }
}
