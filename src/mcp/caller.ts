import type { AccessTokenKind } from '../../models/access-tokens';
import type { Bot, ToolMode } from '../domain/bots';
import { isFinished, type Session } from '../domain/sessions';
import type { TeamRef } from '../ports/slack-clients';
import type { ToolDeps } from './deps';

/** Who is calling, established from a bearer token on every request. */
export interface Caller {
  tokenId: string;
  kind: AccessTokenKind;
  team: TeamRef;
  bot: Bot;
  /** What the caller may use now (see `effectiveScope`). */
  scope: ToolMode;
  /**
   * The session the token belongs to (every MCP token, and a session's direct-API token), and so the only thread
   * its thread tools touch. Personal API tokens have none.
   */
  session: Session | undefined;
  /** The person behind the call, for sessions it starts: the session's requester, or the token's creator. */
  onBehalfOf: string;
}

/** `Bearer <token>` → the token; anything else → undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return /^Bearer\s+(\S+)\s*$/i.exec(value ?? '')?.[1];
}

/**
 * Session tokens (MCP, and a session's direct-API token) keep the tool mode the bot had when the session started,
 * but a downgrade of the bot applies at once. Personal API tokens follow the bot's current tool mode, so an admin
 * changes one setting, not every token.
 */
export function effectiveScope(isSessionBound: boolean, tokenScope: ToolMode, bot: Bot): ToolMode {
  if (!isSessionBound) return bot.toolMode;
  return tokenScope === 'full' && bot.toolMode === 'full' ? 'full' : 'basic';
}

/**
 * The caller behind an `Authorization` header, or undefined when the token is missing, malformed, unknown,
 * revoked, expired, of the other kind, or bound to a session that has finished: a session's tokens die with it.
 */
export async function authenticate(
  deps: Pick<ToolDeps, 'tokens' | 'bots' | 'sessions'>,
  header: string | string[] | undefined,
  kind: AccessTokenKind,
): Promise<Caller | undefined> {
  const token = bearerToken(header);
  const row = token ? await deps.tokens.verify(token) : undefined;
  if (!row || row.kind !== kind) return undefined;
  const bot = await deps.bots.get(row.teamId, row.botId);
  if (!bot) return undefined;
  let session: Session | undefined;
  if (kind === 'mcp' || row.sessionId) {
    session = row.sessionId ? await deps.sessions.get(row.sessionId) : undefined;
    if (!session || isFinished(session.status) || session.botId !== bot.id || session.teamId !== row.teamId)
      return undefined;
  }
  await deps.tokens.touch(row.id);
  return {
    tokenId: row.id,
    kind,
    team: { teamId: row.teamId, enterpriseId: session?.enterpriseId ?? undefined },
    bot,
    scope: effectiveScope(session !== undefined, row.scope, bot),
    session,
    onBehalfOf: session?.requesterId || row.createdBy,
  };
}
