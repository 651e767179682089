import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { MEMORY_DATA_DIR, openDatabase } from '../../models/database';
import { adminDatabaseUrl, createScratchPostgres } from '../support/databases';

/** Ends every connection to the scratch database `name` (only that one). */
async function dropConnections(name: string): Promise<void> {
  const admin = new Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
  } finally {
    await admin.end();
  }
}

describe('a PostgreSQL connection dropped while a transaction holds it', () => {
  it('fails that transaction (its caller retries) instead of crashing the process; the next query works', async () => {
    const scratch = await createScratchPostgres();
    const handle = await openDatabase({ databaseUrl: scratch.url, dataDir: MEMORY_DATA_DIR });
    try {
      const name = new URL(scratch.url).pathname.slice(1);
      const transaction = handle.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        // Between two queries the connection is lent out and idle: the server drops it now.
        await dropConnections(name);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.execute(sql`select 2`);
      });
      await expect(transaction).rejects.toThrow();
      await expect(handle.db.execute(sql`select 3 as n`)).resolves.toBeDefined();
    } finally {
      await handle.close();
      await scratch.drop();
    }
  });
});
