import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, lt, lte, or } from 'drizzle-orm';
import type { ToolMode } from '../src/domain/bots';
import type { Database } from './database';
import { newId } from './ids';
import { accessTokens } from './schema';

export type AccessTokenKind = 'mcp' | 'api';

/** A stored token: never the token itself, only what identifies and limits it. */
export interface AccessToken {
  id: string;
  kind: AccessTokenKind;
  teamId: string;
  botId: string;
  sessionId: string | null;
  scope: ToolMode;
  label: string;
  /** e.g. `btn_pat_…x9Qa`: enough to recognise a token, never to use it. */
  hint: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type NewAccessToken =
  | { kind: 'mcp'; teamId: string; botId: string; sessionId: string; scope: ToolMode; expiresAt: Date }
  | {
      kind: 'api';
      teamId: string;
      botId: string;
      scope: ToolMode;
      label: string;
      createdBy: string;
      expiresAt?: Date | null;
      /** Set for a session's direct API token, which ends with the session. */
      sessionId?: string;
    };

export const TOKEN_PREFIX: Record<AccessTokenKind, string> = { mcp: 'btn_mcp_', api: 'btn_pat_' };
// 32 random bytes are 43 base64url characters.
const TOKEN_SHAPE = /^btn_(mcp|pat)_[A-Za-z0-9_-]{43}$/;
// Recording every use would write on every request; a minute's precision is plenty for "last used".
const TOUCH_EVERY_MS = 60_000;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const hintOf = (token: string, kind: AccessTokenKind) => `${TOKEN_PREFIX[kind]}…${token.slice(-4)}`;

/**
 * Bearer tokens for Baton's MCP server (`mcp`: one live token per session, dead when the session ends) and REST
 * API (`api`: a bot's personal access tokens). The plaintext is returned once, at creation; only its SHA-256
 * hash is stored, so a lookup by hash needs no constant-time comparison.
 */
export class AccessTokenRepository {
  constructor(private readonly db: Database) {}

  async create(input: NewAccessToken): Promise<{ token: string; record: AccessToken }> {
    const token = `${TOKEN_PREFIX[input.kind]}${randomBytes(32).toString('base64url')}`;
    const values = {
      id: newId(input.kind === 'mcp' ? 'mtk' : 'pat'),
      tokenHash: hashToken(token),
      kind: input.kind,
      teamId: input.teamId,
      botId: input.botId,
      scope: input.scope,
      hint: hintOf(token, input.kind),
      expiresAt: input.expiresAt ?? null,
      ...(input.kind === 'mcp'
        ? { sessionId: input.sessionId, label: 'session', createdBy: 'baton' }
        : { sessionId: input.sessionId ?? null, label: input.label, createdBy: input.createdBy }),
    };
    // One live token per session: a retried session start replaces the token it handed out before, in the same
    // statement as the insert (a session's start waits for it).
    const revoking =
      input.kind === 'mcp'
        ? [
            this.db.$with('revoked').as(
              this.db
                .update(accessTokens)
                .set({ revokedAt: new Date() })
                .where(
                  and(
                    eq(accessTokens.sessionId, input.sessionId),
                    eq(accessTokens.kind, 'mcp'),
                    isNull(accessTokens.revokedAt),
                  ),
                )
                .returning({ id: accessTokens.id }),
            ),
          ]
        : [];
    const [record] = await this.db
      .with(...revoking)
      .insert(accessTokens)
      .values(values)
      .returning();
    if (!record) throw new Error('insert into access_tokens returned no row');
    return { token, record: strip(record) };
  }

  /** The token's row when it exists, is not revoked and has not expired; anything else is `undefined`. */
  async verify(token: string): Promise<AccessToken | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const [row] = await this.db
      .select()
      .from(accessTokens)
      .where(
        and(
          eq(accessTokens.tokenHash, hashToken(token)),
          isNull(accessTokens.revokedAt),
          or(isNull(accessTokens.expiresAt), gt(accessTokens.expiresAt, new Date())),
        ),
      );
    if (!row || !token.startsWith(TOKEN_PREFIX[row.kind])) return undefined;
    return strip(row);
  }

  /** When an unrevoked token ran out, if it has: so its holder can be told why it stopped working. */
  async expiredAt(token: string, kind: AccessTokenKind): Promise<Date | undefined> {
    if (!TOKEN_SHAPE.test(token) || !token.startsWith(TOKEN_PREFIX[kind])) return undefined;
    const [row] = await this.db
      .select({ expiresAt: accessTokens.expiresAt })
      .from(accessTokens)
      .where(
        and(
          eq(accessTokens.tokenHash, hashToken(token)),
          isNull(accessTokens.revokedAt),
          lte(accessTokens.expiresAt, new Date()),
        ),
      );
    return row?.expiresAt ?? undefined;
  }

  /** Revokes every token of a workspace (Baton was uninstalled, or its tokens revoked); answers how many. */
  async revokeForTeam(teamId: string): Promise<number> {
    const rows = await this.db
      .update(accessTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(accessTokens.teamId, teamId), isNull(accessTokens.revokedAt)))
      .returning({ id: accessTokens.id });
    return rows.length;
  }

  /** Records a use, at most once a minute per token. */
  async touch(id: string): Promise<void> {
    const now = new Date();
    await this.db
      .update(accessTokens)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(accessTokens.id, id),
          or(isNull(accessTokens.lastUsedAt), lt(accessTokens.lastUsedAt, new Date(now.getTime() - TOUCH_EVERY_MS))),
        ),
      );
  }

  async revokeForSession(sessionId: string): Promise<void> {
    await this.db
      .update(accessTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(accessTokens.sessionId, sessionId), isNull(accessTokens.revokedAt)));
  }

  /** The bot's API tokens that still work, newest first. */
  async list(botId: string): Promise<AccessToken[]> {
    const rows = await this.db
      .select()
      .from(accessTokens)
      .where(
        and(
          eq(accessTokens.botId, botId),
          eq(accessTokens.kind, 'api'),
          isNull(accessTokens.revokedAt),
          or(isNull(accessTokens.expiresAt), gt(accessTokens.expiresAt, new Date())),
        ),
      )
      .orderBy(desc(accessTokens.createdAt));
    return rows.map(strip);
  }

  async get(teamId: string, id: string): Promise<AccessToken | undefined> {
    const [row] = await this.db
      .select()
      .from(accessTokens)
      .where(and(eq(accessTokens.teamId, teamId), eq(accessTokens.id, id)));
    return row ? strip(row) : undefined;
  }

  /** Revokes a token of this workspace; false when there was no such live token. */
  async revoke(teamId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .update(accessTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(accessTokens.teamId, teamId), eq(accessTokens.id, id), isNull(accessTokens.revokedAt)))
      .returning({ id: accessTokens.id });
    return rows.length > 0;
  }
}

function strip(row: typeof accessTokens.$inferSelect): AccessToken {
  const { tokenHash: _hash, ...rest } = row;
  return rest;
}
