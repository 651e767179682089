import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MEMORY_DATA_DIR, openDatabase, type DatabaseHandle } from '../../models/database';

export const databaseKinds = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof databaseKinds)[number];

/** The server test databases are created on; its own database is only used to create and drop them. */
export const adminDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** Set for PostgreSQL: the throwaway database's URL, e.g. for a second connection in the same test. */
  url?: string;
  cleanup(): Promise<void>;
}

export interface ScratchPostgres {
  url: string;
  /** Ends every connection to the database, then drops it. */
  drop(): Promise<void>;
}

async function withAdmin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminDatabaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach PostgreSQL for tests at ${adminDatabaseUrl} (${(error as Error).message}). ` +
        'Start it, or point TEST_DATABASE_URL at a server where this user may create databases.',
      { cause: error },
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the test server, so test files never see each other's rows. */
export async function createScratchPostgres(): Promise<ScratchPostgres> {
  const name = `baton_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(async (client) => {
        await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
        await client.query(`DROP DATABASE IF EXISTS ${name}`);
      }),
  };
}

/** An in-memory PGlite with migrations applied. Starting one takes seconds: share it across a file. */
export function openPgliteMemory(): Promise<DatabaseHandle> {
  return openDatabase({ dataDir: MEMORY_DATA_DIR });
}

export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const handle = await openPgliteMemory();
    return { handle, cleanup: () => handle.close() };
  }
  const scratch = await createScratchPostgres();
  try {
    const handle = await openDatabase({ databaseUrl: scratch.url, dataDir: MEMORY_DATA_DIR });
    return {
      handle,
      url: scratch.url,
      cleanup: async () => {
        await handle.close();
        await scratch.drop();
      },
    };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}
