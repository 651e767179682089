import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { ChosenRepository, GitHubConnection, GitHubConnectionState, GitHubRepository } from '../src/domain/github';
import type { Secrets } from '../src/crypto/secrets';
import type { StoredSessionToken } from '../src/ports/code-host';
import type { Database } from './database';
import { githubConnections, githubConnectViews, githubSessionTokens } from './schema';

export interface NewGitHubConnection {
  botId: string;
  teamId: string;
  installationId: number;
  account: string;
  available: GitHubRepository[];
  connectedBy: string;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Bots' GitHub connections, the modals waiting for one, and the tokens running sessions hold (encrypted). */
export class GitHubRepositoryStore {
  /** Read by every new session's configuration: built once, prepared by name. */
  private readonly byBot;

  constructor(
    private readonly db: Database,
    private readonly secrets: Secrets,
  ) {
    this.byBot = db
      .select()
      .from(githubConnections)
      .where(eq(githubConnections.botId, sql.placeholder('botId')))
      .prepare('github_connections_by_bot');
  }

  async get(botId: string): Promise<GitHubConnection | undefined> {
    const [row] = await this.byBot.execute({ botId });
    if (!row) return undefined;
    const { updatedAt: _updatedAt, ...connection } = row;
    return connection;
  }

  /**
   * Binds the bot to an installation (connect and reconnect). Chosen repositories the installation still reaches
   * are kept, so a reconnect to the same installation loses nothing; the state starts over as active.
   */
  async connect(input: NewGitHubConnection): Promise<GitHubConnection> {
    const previous = await this.get(input.botId);
    const reachable = (r: ChosenRepository) => input.available.some((a) => sameName(a.fullName, r.fullName));
    const chosen = previous?.installationId === input.installationId ? previous.chosen.filter(reachable) : [];
    const values = {
      ...input,
      chosen,
      state: 'active' as const,
      problem: null,
      connectedAt: new Date(),
      updatedAt: new Date(),
    };
    await this.db
      .insert(githubConnections)
      .values(values)
      .onConflictDoUpdate({ target: githubConnections.botId, set: values });
    return (await this.get(input.botId))!;
  }

  async choose(botId: string, chosen: ChosenRepository[]): Promise<void> {
    await this.db
      .update(githubConnections)
      .set({ chosen, problem: null, updatedAt: new Date() })
      .where(eq(githubConnections.botId, botId));
  }

  async disconnect(botId: string): Promise<boolean> {
    const deleted = await this.db
      .delete(githubConnections)
      .where(eq(githubConnections.botId, botId))
      .returning({ botId: githubConnections.botId });
    return deleted.length > 0;
  }

  /** Every bot bound to the installation (two bots may share one). */
  async forInstallation(installationId: number): Promise<GitHubConnection[]> {
    const rows = await this.db
      .select()
      .from(githubConnections)
      .where(eq(githubConnections.installationId, installationId));
    return rows.map(({ updatedAt: _updatedAt, ...connection }) => connection);
  }

  async setState(installationId: number, state: GitHubConnectionState): Promise<GitHubConnection[]> {
    await this.db
      .update(githubConnections)
      .set({ state, updatedAt: new Date() })
      .where(eq(githubConnections.installationId, installationId));
    return this.forInstallation(installationId);
  }

  /** Repositories added to or removed from an installation; a chosen one that is gone becomes the bot's problem. */
  async changeRepositories(
    installationId: number,
    added: GitHubRepository[],
    removed: string[],
  ): Promise<GitHubConnection[]> {
    const isRemoved = (name: string) => removed.some((r) => sameName(r, name));
    for (const connection of await this.forInstallation(installationId)) {
      const available = [
        ...connection.available.filter((r) => !isRemoved(r.fullName)),
        ...added.filter((a) => !connection.available.some((r) => sameName(r.fullName, a.fullName))),
      ];
      const lost = connection.chosen.filter((r) => isRemoved(r.fullName)).map((r) => r.fullName);
      const problem = lost.length
        ? `${lost.join(', ')} ${lost.length === 1 ? 'was' : 'were'} removed from the GitHub App on ${connection.account}; sessions no longer get ${lost.length === 1 ? 'it' : 'them'}. Add ${lost.length === 1 ? 'it' : 'them'} back in GitHub, or choose repositories again.`
        : connection.problem;
      await this.db
        .update(githubConnections)
        .set({ available, problem, updatedAt: new Date() })
        .where(eq(githubConnections.botId, connection.botId));
    }
    return this.forInstallation(installationId);
  }

  async rememberView(nonce: string, viewId: string): Promise<void> {
    await this.db.insert(githubConnectViews).values({ nonce, viewId }).onConflictDoUpdate({
      target: githubConnectViews.nonce,
      set: { viewId },
    });
    // Old entries belong to admins who never came back.
    await this.db.delete(githubConnectViews).where(lt(githubConnectViews.createdAt, new Date(Date.now() - 86_400_000)));
  }

  async takeView(nonce: string): Promise<string | undefined> {
    const [row] = await this.db
      .delete(githubConnectViews)
      .where(eq(githubConnectViews.nonce, nonce))
      .returning({ viewId: githubConnectViews.viewId });
    return row?.viewId;
  }

  async saveSessionToken(row: StoredSessionToken): Promise<void> {
    const values = {
      sessionId: row.sessionId,
      installationId: row.installationId,
      repositories: row.repositories,
      tokenCiphertext: this.secrets.encrypt(row.token),
      expiresAt: row.expiresAt,
      revokedAt: null,
    };
    await this.db
      .insert(githubSessionTokens)
      .values(values)
      .onConflictDoUpdate({ target: githubSessionTokens.sessionId, set: values });
  }

  /** The session's token while it is not revoked. */
  async sessionToken(sessionId: string): Promise<StoredSessionToken | undefined> {
    const [row] = await this.db
      .select()
      .from(githubSessionTokens)
      .where(and(eq(githubSessionTokens.sessionId, sessionId), isNull(githubSessionTokens.revokedAt)));
    if (!row) return undefined;
    return {
      sessionId: row.sessionId,
      installationId: row.installationId,
      repositories: row.repositories,
      token: this.secrets.decrypt(row.tokenCiphertext),
      expiresAt: row.expiresAt,
    };
  }

  async markRevoked(sessionId: string): Promise<void> {
    await this.db
      .update(githubSessionTokens)
      .set({ revokedAt: new Date() })
      .where(eq(githubSessionTokens.sessionId, sessionId));
  }
}
