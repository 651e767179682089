import { eq, sql } from 'drizzle-orm';
import type { ClaudeConnection } from '../src/domain/claude';
import type { Database } from './database';
import { claudeConnections } from './schema';

export type ConnectionChanges = Partial<Omit<ClaudeConnection, 'botId' | 'syncedAt'>>;

export class ClaudeConnectionRepository {
  /** Read by every session's admission and run: built once, prepared by name. */
  private readonly byBot;

  constructor(private readonly db: Database) {
    this.byBot = db
      .select()
      .from(claudeConnections)
      .where(eq(claudeConnections.botId, sql.placeholder('botId')))
      .prepare('claude_connections_by_bot');
  }

  async get(botId: string): Promise<ClaudeConnection | undefined> {
    const [row] = await this.byBot.execute({ botId });
    if (!row) return undefined;
    const { updatedAt: _updatedAt, ...connection } = row;
    return connection;
  }

  /**
   * Creates the bot's connection or changes the given fields; a new connection starts in managed mode. Switching
   * from an existing agent to managed forgets the admin's agent, environment and vaults, so the next sync creates
   * Baton's own and never edits or attaches the admin's (Baton's own vault is kept).
   */
  async save(botId: string, changes: ConnectionChanges): Promise<void> {
    const updatedAt = new Date();
    const current = changes.mode === 'managed' ? await this.get(botId) : undefined;
    const forget =
      current?.mode === 'existing' ? { agentId: null, environmentId: null, vaultIds: [], syncedAt: null } : {};
    const set = { ...forget, ...changes, updatedAt };
    await this.db
      .insert(claudeConnections)
      .values({ mode: 'managed', ...changes, botId, updatedAt })
      .onConflictDoUpdate({ target: claudeConnections.botId, set });
  }

  /**
   * Records the provider resources a managed sync created or repaired. A sync that failed part-way records what
   * exists so far (`isComplete: false`), so the retry repairs them instead of creating duplicates.
   */
  async recordSync(
    botId: string,
    ids: { agentId: string | null; environmentId: string | null; batonVaultId: string | null },
    isComplete: boolean,
  ): Promise<void> {
    await this.db
      .update(claudeConnections)
      .set({ ...ids, ...(isComplete ? { syncedAt: new Date() } : {}) })
      .where(eq(claudeConnections.botId, botId));
  }
}
