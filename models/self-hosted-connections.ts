import { randomBytes } from 'node:crypto';
import { eq, getTableColumns } from 'drizzle-orm';
import type { Secrets } from '../src/crypto/secrets';
import type { SelfHostedConnection } from '../src/domain/self-hosted';
import type { Database } from './database';
import { selfHostedConnections } from './schema';

const {
  secretCiphertext: _secret,
  previousSecretCiphertext: _previous,
  updatedAt: _updatedAt,
  ...publicColumns
} = getTableColumns(selfHostedConnections);

/** A Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
const hintOf = (secret: string) => `whsec_…${secret.slice(-4)}`;

/**
 * Self-hosted runtimes: URL, guidance and signing secrets. A secret's plaintext leaves this class twice: once,
 * returned to show the admin when it is made, and to the delivery job that signs with it (`signingSecrets`).
 */
export class SelfHostedConnectionRepository {
  constructor(
    private readonly db: Database,
    private readonly secrets: Pick<Secrets, 'encrypt' | 'decrypt'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(botId: string): Promise<SelfHostedConnection | undefined> {
    const [row] = await this.db
      .select(publicColumns)
      .from(selfHostedConnections)
      .where(eq(selfHostedConnections.botId, botId));
    return row;
  }

  /**
   * Saves the URL and guidance and turns deliveries back on. The first save makes the signing secret and
   * returns it (the only time anyone sees it); later saves keep it.
   */
  async save(botId: string, input: { url: string; guidance: string }): Promise<{ newSecret: string | undefined }> {
    const existing = await this.get(botId);
    const updatedAt = this.now();
    const changes = { ...input, disabledAt: null, disabledReason: null, updatedAt };
    if (existing) {
      await this.db.update(selfHostedConnections).set(changes).where(eq(selfHostedConnections.botId, botId));
      return { newSecret: undefined };
    }
    const secret = newSigningSecret();
    await this.db
      .insert(selfHostedConnections)
      .values({ ...changes, botId, secretCiphertext: this.secrets.encrypt(secret), secretHint: hintOf(secret) })
      .onConflictDoNothing();
    return { newSecret: secret };
  }

  /** A new secret signs from now on; the current one keeps signing too until `overlapMs` has passed. */
  async rotate(botId: string, overlapMs: number): Promise<string | undefined> {
    const [row] = await this.db.select().from(selfHostedConnections).where(eq(selfHostedConnections.botId, botId));
    if (!row) return undefined;
    const secret = newSigningSecret();
    await this.db
      .update(selfHostedConnections)
      .set({
        secretCiphertext: this.secrets.encrypt(secret),
        secretHint: hintOf(secret),
        previousSecretCiphertext: row.secretCiphertext,
        previousExpiresAt: new Date(this.now().getTime() + overlapMs),
        updatedAt: this.now(),
      })
      .where(eq(selfHostedConnections.botId, botId));
    return secret;
  }

  /** The secrets that sign a delivery now: the current one, and the previous one during a rotation. */
  async signingSecrets(botId: string): Promise<string[]> {
    const [row] = await this.db.select().from(selfHostedConnections).where(eq(selfHostedConnections.botId, botId));
    if (!row) return [];
    const secrets = [this.secrets.decrypt(row.secretCiphertext)];
    if (row.previousSecretCiphertext && row.previousExpiresAt && row.previousExpiresAt > this.now()) {
      secrets.push(this.secrets.decrypt(row.previousSecretCiphertext));
    }
    return secrets;
  }

  async disable(botId: string, reason: string): Promise<void> {
    await this.db
      .update(selfHostedConnections)
      .set({ disabledAt: this.now(), disabledReason: reason })
      .where(eq(selfHostedConnections.botId, botId));
  }
}
