import { eq } from 'drizzle-orm';
import type { CursorConnection } from '../src/domain/cursor';
import type { Database } from './database';
import { cursorConnections } from './schema';

export type CursorConnectionChanges = Omit<CursorConnection, 'botId'>;

export class CursorConnectionRepository {
  constructor(private readonly db: Database) {}

  async get(botId: string): Promise<CursorConnection | undefined> {
    const [row] = await this.db.select().from(cursorConnections).where(eq(cursorConnections.botId, botId));
    if (!row) return undefined;
    const { updatedAt: _updatedAt, ...connection } = row;
    return connection;
  }

  async save(botId: string, changes: CursorConnectionChanges): Promise<void> {
    const updatedAt = new Date();
    await this.db
      .insert(cursorConnections)
      .values({ ...changes, botId, updatedAt })
      .onConflictDoUpdate({ target: cursorConnections.botId, set: { ...changes, updatedAt } });
  }
}
