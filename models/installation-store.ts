import type { Installation, InstallationQuery, InstallationStore, Logger } from '@slack/bolt';
import { eq } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Secrets } from '../src/crypto/secrets';
import type { InstallationRef, InstallationRemover } from '../src/ports/storage';
import type { Database } from './database';
import { slackInstallations } from './schema';

type InstallationRow = typeof slackInstallations.$inferSelect;
type Cipher = Pick<Secrets, 'encrypt' | 'decrypt'>;

// What `metadata` holds: the parts of Bolt's Installation without a column, minus every credential. Baton asks
// for no user scopes and no incoming webhook, so user tokens and webhook URLs are dropped rather than stored.
const StoredMetadata = z.object({
  userScopes: z.array(z.string()).optional(),
  installMetadata: z.string().optional(),
});
type StoredMetadata = z.infer<typeof StoredMetadata>;

/** Thrown by fetchInstallation when no row matches; Bolt turns it into an authorization failure. */
export class InstallationNotFoundError extends Error {
  override readonly name = 'InstallationNotFoundError';
}

/** Org-wide installs are keyed by enterprise id, all others by team id (Slack's InstallationQuery rule). */
export function installKeyFor(query: Partial<InstallationRef>): string {
  const key = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
  if (!key) throw new InstallationNotFoundError('Installation query names neither a team nor an enterprise');
  return key;
}

/** How long a process reuses an installation it read (Bolt reads one for every request it authorizes). */
const INSTALLATION_TTL_MS = 10_000;
const INSTALLATIONS_KEPT = 500;

/**
 * Bolt's InstallationStore on PostgreSQL/PGlite. Tokens are encrypted before they reach the database. An installation
 * read is reused for a few seconds, so a burst of mentions in a workspace reads it once; storing or deleting one
 * forgets it at once in this process (other processes keep their clients as long, see InstalledClients).
 */
export class DbInstallationStore implements InstallationStore, InstallationRemover {
  private readonly recent = new LRUCache<string, Promise<Installation<'v2'>>>({
    max: INSTALLATIONS_KEPT,
    ttl: INSTALLATION_TTL_MS,
  });

  constructor(
    private readonly db: Database,
    private readonly secrets: Cipher,
  ) {}

  async storeInstallation(installation: Installation, logger?: Logger): Promise<void> {
    const { bot } = installation;
    if (!bot) throw new Error('Baton installs need a bot token; this installation has none');
    if (installation.user.token) logger?.warn('Slack installation carries a user token; Baton does not keep it');
    const isEnterpriseInstall = installation.isEnterpriseInstall === true;
    const metadata: StoredMetadata = {
      userScopes: installation.user.scopes,
      installMetadata: installation.metadata,
    };
    const values = {
      installKey: installKeyFor({
        isEnterpriseInstall,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      }),
      teamId: installation.team?.id ?? null,
      teamName: installation.team?.name ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      enterpriseName: installation.enterprise?.name ?? null,
      enterpriseUrl: installation.enterpriseUrl ?? null,
      isEnterpriseInstall,
      appId: installation.appId ?? null,
      botUserId: bot.userId,
      botId: bot.id,
      botScopes: bot.scopes,
      botTokenCiphertext: this.secrets.encrypt(bot.token),
      botRefreshTokenCiphertext: bot.refreshToken ? this.secrets.encrypt(bot.refreshToken) : null,
      botTokenExpiresAt: bot.expiresAt === undefined ? null : new Date(bot.expiresAt * 1000),
      installerUserId: installation.user.id,
      metadata: JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>,
      updatedAt: new Date(),
    };
    // Bolt calls this on every install and after each token refresh; the first install time is kept.
    const { installKey: _key, ...changes } = values;
    await this.db
      .insert(slackInstallations)
      .values(values)
      .onConflictDoUpdate({ target: slackInstallations.installKey, set: changes });
    this.recent.delete(values.installKey);
  }

  fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v2'>> {
    const installKey = installKeyFor(query);
    let found = this.recent.get(installKey);
    if (!found) {
      found = this.read(installKey);
      this.recent.set(installKey, found);
      // A failed read (none installed yet) is not kept: the next request reads again.
      found.catch(() => {
        if (this.recent.peek(installKey) === found) this.recent.delete(installKey);
      });
    }
    return found;
  }

  private async read(installKey: string): Promise<Installation<'v2'>> {
    const [row] = await this.db
      .select()
      .from(slackInstallations)
      .where(eq(slackInstallations.installKey, installKey))
      .limit(1);
    if (!row) throw new InstallationNotFoundError(`No Slack installation for ${installKey}`);
    return this.toInstallation(row);
  }

  async deleteInstallation(query: InstallationRef): Promise<void> {
    const installKey = installKeyFor(query);
    await this.db.delete(slackInstallations).where(eq(slackInstallations.installKey, installKey));
    this.recent.delete(installKey);
  }

  private toInstallation(row: InstallationRow): Installation<'v2'> {
    const metadata = StoredMetadata.parse(row.metadata);
    return {
      team: row.isEnterpriseInstall || !row.teamId ? undefined : { id: row.teamId, name: row.teamName ?? undefined },
      enterprise: row.enterpriseId ? { id: row.enterpriseId, name: row.enterpriseName ?? undefined } : undefined,
      enterpriseUrl: row.enterpriseUrl ?? undefined,
      isEnterpriseInstall: row.isEnterpriseInstall,
      appId: row.appId ?? undefined,
      authVersion: 'v2',
      tokenType: 'bot',
      user: { id: row.installerUserId, token: undefined, scopes: metadata.userScopes },
      bot: {
        token: this.secrets.decrypt(row.botTokenCiphertext),
        refreshToken: row.botRefreshTokenCiphertext ? this.secrets.decrypt(row.botRefreshTokenCiphertext) : undefined,
        expiresAt: row.botTokenExpiresAt ? Math.floor(row.botTokenExpiresAt.getTime() / 1000) : undefined,
        scopes: row.botScopes,
        id: row.botId,
        userId: row.botUserId,
      },
      metadata: metadata.installMetadata,
    };
  }
}
