import type { GitHubConnection } from '../domain/github';
import type { SessionGitHub, SessionGitHubToken } from '../ports/agent-provider';
import { CodeHostError, type CodeHost, type StoredSessionToken } from '../ports/code-host';

/** A token is renewed once less than this is left of it (GitHub's last an hour). */
const RENEW_BEFORE_MS = 10 * 60 * 1000;

/** Where session tokens are kept (encrypted) and the bot's GitHub connection is read. */
export interface SessionTokenStore {
  get(botId: string): Promise<GitHubConnection | undefined>;
  saveSessionToken(row: StoredSessionToken): Promise<void>;
  /** The session's token while it is not revoked. */
  sessionToken(sessionId: string): Promise<StoredSessionToken | undefined>;
  markRevoked(sessionId: string): Promise<void>;
}

/**
 * The GitHub token of each session: minted narrowed to exactly the session's repositories, renewed before it
 * expires while the bot's connection stands, revoked when the session ends. The token only ever travels from
 * GitHub to the store and the provider; it is never logged or handed to anything that reaches Slack or a prompt.
 */
export class GitHubSessionTokens {
  constructor(
    private readonly codeHost: CodeHost,
    private readonly store: SessionTokenStore,
    private readonly mcpUrl: string,
    private readonly now: () => Date,
  ) {}

  /**
   * A fresh token for these repositories (`owner/name`, each with its branch), or undefined when there are none or
   * the bot's connection cannot be used. A token an earlier attempt of the session minted is revoked first.
   */
  async issue(
    session: { id: string; botId: string },
    repositories: Array<{ fullName: string; branch: string | null }>,
  ): Promise<SessionGitHub | undefined> {
    if (repositories.length === 0) return undefined;
    const connection = await this.store.get(session.botId);
    if (connection?.state !== 'active') return undefined;
    await this.revokeForSession(session.id);
    const names = repositories.map((r) => r.fullName);
    const minted = await this.codeHost.sessionToken(connection.installationId, names).catch((error: unknown) => {
      if (!(error instanceof CodeHostError) || error.kind !== 'forbidden') throw error;
      throw new CodeHostError(
        'forbidden',
        `GitHub refused a token for ${names.join(', ')}: a repository may have been removed from the GitHub App on ` +
          `${connection.account}, or the app lacks the Contents and Pull requests permissions. An admin can reconnect ` +
          "GitHub or choose the bot's repositories again.",
        { cause: error },
      );
    });
    await this.store.saveSessionToken({
      sessionId: session.id,
      installationId: connection.installationId,
      repositories: names,
      token: minted.token,
      expiresAt: minted.expiresAt,
    });
    return {
      token: minted.token,
      mcpUrl: this.mcpUrl,
      repositories: repositories.map((r) => ({ ...r, url: this.codeHost.repositoryUrl(r.fullName) })),
    };
  }

  /**
   * Renews the session's token when it is close to expiring: a new one (same repositories and permissions) is put
   * into the session by `apply`, stored, and only then the old one is revoked. A bot disconnected from GitHub, or
   * whose installation is gone or suspended, is not renewed: the session keeps its token until it expires.
   */
  async renewIfDue(
    session: { id: string; botId: string },
    apply: (github: SessionGitHubToken) => Promise<void>,
  ): Promise<boolean> {
    const current = await this.store.sessionToken(session.id);
    if (!current || current.expiresAt.getTime() - this.now().getTime() > RENEW_BEFORE_MS) return false;
    const connection = await this.store.get(session.botId);
    if (connection?.state !== 'active' || connection.installationId !== current.installationId) return false;
    const minted = await this.codeHost.sessionToken(current.installationId, current.repositories);
    try {
      await apply({ token: minted.token, mcpUrl: this.mcpUrl });
    } catch (error) {
      await this.codeHost.revoke(minted.token).catch(() => undefined);
      throw error;
    }
    await this.store.saveSessionToken({ ...current, token: minted.token, expiresAt: minted.expiresAt });
    await this.codeHost.revoke(current.token);
    return true;
  }

  /** Revokes the session's token (a session that never had one has nothing to do). */
  async revokeForSession(sessionId: string): Promise<void> {
    const current = await this.store.sessionToken(sessionId);
    if (!current) return;
    await this.codeHost.revoke(current.token);
    await this.store.markRevoked(sessionId);
  }
}
