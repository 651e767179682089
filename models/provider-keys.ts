import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { maskSecret } from '../src/crypto/mask';
import type { Secrets } from '../src/crypto/secrets';
import type { ClaudeResources, ModelOption, NamedResource } from '../src/domain/claude';
import type { CursorRepositoryOption } from '../src/domain/cursor';
import type { Provider, ProviderKey } from '../src/domain/provider-keys';
import type { Database } from './database';
import { isUniqueViolation } from './errors';
import { newId } from './ids';
import { bots, claudeConnections, cursorConnections, providerKeys } from './schema';

export class DuplicateKeyLabelError extends Error {
  override readonly name = 'DuplicateKeyLabelError';
}

const { ciphertext: _ciphertext, ...publicColumns } = getTableColumns(providerKeys);

/** Workspace provider keys. Plaintext goes in once (encrypted here) and comes out only through `reveal`. */
export class ProviderKeyRepository {
  // Every new session reads its key's models and its secret: built once, prepared by name.
  private readonly byId;
  private readonly ciphertextOf;

  constructor(
    private readonly db: Database,
    private readonly secrets: Pick<Secrets, 'encrypt' | 'decrypt'>,
  ) {
    const byKey = and(eq(providerKeys.teamId, sql.placeholder('teamId')), eq(providerKeys.id, sql.placeholder('id')));
    this.byId = db.select(publicColumns).from(providerKeys).where(byKey).prepare('provider_keys_by_id');
    this.ciphertextOf = db
      .select({ ciphertext: providerKeys.ciphertext })
      .from(providerKeys)
      .where(byKey)
      .prepare('provider_keys_ciphertext');
  }

  async create(input: { teamId: string; provider: Provider; label: string; secret: string; createdBy: string }) {
    const { secret, ...rest } = input;
    try {
      const [row] = await this.db
        .insert(providerKeys)
        .values({ ...rest, id: newId('key'), ciphertext: this.secrets.encrypt(secret), hint: maskSecret(secret) })
        .returning(publicColumns);
      return row as ProviderKey;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateKeyLabelError(input.label, { cause: error });
      throw error;
    }
  }

  async get(teamId: string, id: string): Promise<ProviderKey | undefined> {
    const [row] = await this.byId.execute({ teamId, id });
    return row as ProviderKey | undefined;
  }

  async list(teamId: string, provider: Provider): Promise<ProviderKey[]> {
    const rows = await this.db
      .select(publicColumns)
      .from(providerKeys)
      .where(and(eq(providerKeys.teamId, teamId), eq(providerKeys.provider, provider)))
      .orderBy(asc(sql`lower(${providerKeys.label})`));
    return rows as ProviderKey[];
  }

  /** The plaintext key, for the jobs that call the provider. Never pass it to views, logs or job payloads. */
  async reveal(teamId: string, id: string): Promise<string | undefined> {
    const [row] = await this.ciphertextOf.execute({ teamId, id });
    return row ? this.secrets.decrypt(row.ciphertext) : undefined;
  }

  async markValid(id: string, models: ModelOption[], repositories?: CursorRepositoryOption[]): Promise<void> {
    await this.db
      .update(providerKeys)
      .set({ validatedAt: new Date(), validationError: null, models, ...(repositories ? { repositories } : {}) })
      .where(eq(providerKeys.id, id));
  }

  async markInvalid(id: string, reason: string): Promise<void> {
    await this.db
      .update(providerKeys)
      .set({ validatedAt: null, validationError: reason })
      .where(eq(providerKeys.id, id));
  }

  async saveBuiltinSkills(id: string, builtinSkills: NamedResource[]): Promise<void> {
    await this.db.update(providerKeys).set({ builtinSkills }).where(eq(providerKeys.id, id));
  }

  async saveResources(id: string, resources: ClaudeResources): Promise<void> {
    await this.db.update(providerKeys).set({ resources }).where(eq(providerKeys.id, id));
  }

  /** Names of the bots whose connection uses this key, for the "delete key" confirmation. */
  async usedBy(id: string): Promise<string[]> {
    const [claude, cursor] = await Promise.all([
      this.db
        .select({ name: bots.name })
        .from(claudeConnections)
        .innerJoin(bots, eq(bots.id, claudeConnections.botId))
        .where(eq(claudeConnections.keyId, id)),
      this.db
        .select({ name: bots.name })
        .from(cursorConnections)
        .innerJoin(bots, eq(bots.id, cursorConnections.botId))
        .where(eq(cursorConnections.keyId, id)),
    ]);
    return [...claude, ...cursor].map((row) => row.name).sort();
  }

  async delete(teamId: string, id: string): Promise<boolean> {
    const deleted = await this.db
      .delete(providerKeys)
      .where(and(eq(providerKeys.teamId, teamId), eq(providerKeys.id, id)))
      .returning({ id: providerKeys.id });
    return deleted.length > 0;
  }
}
