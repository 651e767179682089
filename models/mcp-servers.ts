import { createHash } from 'node:crypto';
import { and, asc, count, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Secrets } from '../src/crypto/secrets';
import type { McpAuthMode, McpServer, McpServerState } from '../src/domain/mcp-servers';
import type { Database } from './database';
import { isUniqueViolation } from './errors';
import { newId } from './ids';
import { mcpOauthStates, mcpServers } from './schema';

export class DuplicateMcpNameError extends Error {
  override readonly name = 'DuplicateMcpNameError';
}

const publicColumns = {
  id: mcpServers.id,
  botId: mcpServers.botId,
  name: mcpServers.name,
  url: mcpServers.url,
  authMode: mcpServers.authMode,
  isTrusted: mcpServers.isTrusted,
  state: mcpServers.state,
  stateDetail: mcpServers.stateDetail,
  credentialId: mcpServers.credentialId,
  credentialSetAt: mcpServers.credentialSetAt,
  createdAt: mcpServers.createdAt,
};

export interface McpServerInput {
  name: string;
  url: string;
  authMode: McpAuthMode;
  isTrusted: boolean;
}

/** A sign-in under way, as the callback finds it by its state. */
export interface OAuthAttempt {
  teamId: string;
  userId: string;
  botId: string;
  serverId: string;
  sessionId: string | null;
  codeVerifier: string | null;
}

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

/**
 * A bot's MCP servers. Secrets (a pasted token waiting for the vault, OAuth client credentials, the PKCE verifier)
 * are stored only as ciphertext and come out only through the `reveal*` / `take*` methods.
 */
export class McpServerRepository {
  constructor(
    private readonly db: Database,
    private readonly secrets: Pick<Secrets, 'encrypt' | 'decrypt'>,
  ) {}

  async list(botId: string): Promise<McpServer[]> {
    return this.db
      .select(publicColumns)
      .from(mcpServers)
      .where(eq(mcpServers.botId, botId))
      .orderBy(asc(mcpServers.createdAt));
  }

  async count(botId: string): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(mcpServers).where(eq(mcpServers.botId, botId));
    return row?.n ?? 0;
  }

  async get(botId: string, id: string): Promise<McpServer | undefined> {
    const [row] = await this.db
      .select(publicColumns)
      .from(mcpServers)
      .where(and(eq(mcpServers.botId, botId), eq(mcpServers.id, id)));
    return row;
  }

  async findByName(botId: string, name: string): Promise<McpServer | undefined> {
    const [row] = await this.db
      .select(publicColumns)
      .from(mcpServers)
      .where(and(eq(mcpServers.botId, botId), sql`lower(${mcpServers.name}) = lower(${name})`));
    return row;
  }

  async create(botId: string, input: McpServerInput, pendingSecret?: string): Promise<McpServer> {
    try {
      const [row] = await this.db
        .insert(mcpServers)
        .values({
          ...input,
          id: newId('mcp'),
          botId,
          state: input.authMode === 'oauth' ? 'needs_login' : 'pending',
          pendingSecretCiphertext: pendingSecret === undefined ? null : this.secrets.encrypt(pendingSecret),
        })
        .returning(publicColumns);
      return row as McpServer;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateMcpNameError(input.name, { cause: error });
      throw error;
    }
  }

  /**
   * Changes name, URL, auth mode or trust. A new URL or auth mode invalidates the stored credential (it was bound to
   * the old URL), so the caller removes it from the vault.
   */
  async update(
    botId: string,
    id: string,
    input: McpServerInput,
    pendingSecret?: string,
  ): Promise<McpServer | undefined> {
    const current = await this.get(botId, id);
    if (!current) return undefined;
    const isRebound = current.url !== input.url || current.authMode !== input.authMode;
    try {
      const [row] = await this.db
        .update(mcpServers)
        .set({
          ...input,
          updatedAt: new Date(),
          ...(isRebound
            ? {
                state: input.authMode === 'oauth' ? 'needs_login' : 'pending',
                stateDetail: null,
                credentialSetAt: null,
                oauthClientCiphertext: null,
                oauthDiscovery: null,
              }
            : {}),
          ...(pendingSecret === undefined ? {} : { pendingSecretCiphertext: this.secrets.encrypt(pendingSecret) }),
        })
        .where(and(eq(mcpServers.botId, botId), eq(mcpServers.id, id)))
        .returning(publicColumns);
      return row;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateMcpNameError(input.name, { cause: error });
      throw error;
    }
  }

  async remove(botId: string, id: string): Promise<void> {
    await this.db.delete(mcpServers).where(and(eq(mcpServers.botId, botId), eq(mcpServers.id, id)));
  }

  /** Stores a secret for the sync job to write into the vault (a bearer token, or pasted OAuth tokens as JSON). */
  async setPendingSecret(id: string, secret: string): Promise<void> {
    await this.db
      .update(mcpServers)
      .set({ pendingSecretCiphertext: this.secrets.encrypt(secret), state: 'pending', updatedAt: new Date() })
      .where(eq(mcpServers.id, id));
  }

  async revealPendingSecret(id: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ c: mcpServers.pendingSecretCiphertext })
      .from(mcpServers)
      .where(eq(mcpServers.id, id));
    return row?.c ? this.secrets.decrypt(row.c) : undefined;
  }

  /** The vault holds the credential now: forget the pasted secret, remember the credential's id. */
  async recordCredential(id: string, credentialId: string | null, state: McpServerState): Promise<void> {
    await this.db
      .update(mcpServers)
      .set({
        credentialId,
        credentialSetAt: credentialId ? new Date() : null,
        pendingSecretCiphertext: null,
        state,
        stateDetail: null,
        updatedAt: new Date(),
      })
      .where(eq(mcpServers.id, id));
  }

  async setState(id: string, state: McpServerState, detail: string | null = null): Promise<void> {
    await this.db
      .update(mcpServers)
      .set({ state, stateDetail: detail, updatedAt: new Date() })
      .where(eq(mcpServers.id, id));
  }

  async saveOAuthClient(id: string, client: Record<string, unknown> | null): Promise<void> {
    await this.db
      .update(mcpServers)
      .set({ oauthClientCiphertext: client ? this.secrets.encrypt(JSON.stringify(client)) : null })
      .where(eq(mcpServers.id, id));
  }

  async revealOAuthClient(id: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.db
      .select({ c: mcpServers.oauthClientCiphertext })
      .from(mcpServers)
      .where(eq(mcpServers.id, id));
    return row?.c ? (JSON.parse(this.secrets.decrypt(row.c)) as Record<string, unknown>) : undefined;
  }

  async saveDiscovery(id: string, discovery: Record<string, unknown> | null): Promise<void> {
    await this.db.update(mcpServers).set({ oauthDiscovery: discovery }).where(eq(mcpServers.id, id));
  }

  async discovery(id: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.db.select({ d: mcpServers.oauthDiscovery }).from(mcpServers).where(eq(mcpServers.id, id));
    return row?.d ?? undefined;
  }

  async startOAuth(state: string, attempt: Omit<OAuthAttempt, 'codeVerifier'>, expiresAt: Date): Promise<void> {
    await this.db.insert(mcpOauthStates).values({ ...attempt, stateHash: hashState(state), expiresAt });
  }

  async saveCodeVerifier(state: string, verifier: string): Promise<void> {
    await this.db
      .update(mcpOauthStates)
      .set({ codeVerifierCiphertext: this.secrets.encrypt(verifier) })
      .where(eq(mcpOauthStates.stateHash, hashState(state)));
  }

  /** The sign-in this state started, once: a second use, an unknown or an expired state finds nothing. */
  async takeOAuth(state: string, now: Date): Promise<OAuthAttempt | undefined> {
    const [row] = await this.db
      .update(mcpOauthStates)
      .set({ usedAt: now })
      .where(
        and(
          eq(mcpOauthStates.stateHash, hashState(state)),
          isNull(mcpOauthStates.usedAt),
          gt(mcpOauthStates.expiresAt, now),
        ),
      )
      .returning();
    if (!row) return undefined;
    const { teamId, userId, botId, serverId, sessionId, codeVerifierCiphertext } = row;
    return {
      teamId,
      userId,
      botId,
      serverId,
      sessionId,
      codeVerifier: codeVerifierCiphertext ? this.secrets.decrypt(codeVerifierCiphertext) : null,
    };
  }
}
