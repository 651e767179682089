import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { Pool } from 'pg';
import { PriorityPool, type Urgency } from './priority-pool';
import * as schema from './schema';

/** What repositories take: the common ground of the node-postgres and PGlite drivers. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  /** Resolves when the database answers a trivial query; for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A postgres:// URL. Unset: embedded PGlite under `dataDir`. */
  databaseUrl?: string | undefined;
  /** Directory for PGlite's files (`<dataDir>/pglite`), or `'memory://'` for a throwaway in-memory database. */
  dataDir: string;
  /** Overrides where the migration SQL is read from; by default found by walking up from this file. */
  migrationsFolder?: string;
  /** Errors from idle pooled PostgreSQL connections (the pool drops the connection and carries on). */
  onPoolError?: (error: Error) => void;
  /** Most PostgreSQL connections this process opens (node-postgres defaults to 10). */
  poolSize?: number;
  /** Which waiting query gets the next free PostgreSQL connection (see PriorityPool); first come first by default. */
  urgency?: Urgency;
  /** False to only connect (e.g. `baton doctor`, which reports pending migrations instead of applying them). */
  isMigrating?: boolean;
}

export const MEMORY_DATA_DIR = 'memory://';

// Any fixed 64-bit number works, as long as nothing else in the database uses it ("baton" in ASCII).
const MIGRATION_LOCK_KEY = 0x626174_6f6e;

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const migrationsFolder = options.migrationsFolder ?? findMigrationsFolder(__dirname);
  const folder = options.isMigrating === false ? undefined : migrationsFolder;
  return options.databaseUrl ? openPostgres(options.databaseUrl, folder, options) : openPglite(options.dataDir, folder);
}

/**
 * Walks up from `startDir` until `models/migrations/meta/_journal.json` turns up. This finds the repo's folder
 * both from the TS sources and from `dist/models/`, since the build does not copy the SQL files.
 */
export function findMigrationsFolder(startDir: string): string {
  for (let dir = startDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'models', 'migrations');
    if (existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error(`No models/migrations/meta/_journal.json found above ${startDir}`);
    }
  }
}

const PG_POOL_SIZE = 10;

async function openPostgres(
  url: string,
  migrationsFolder: string | undefined,
  { onPoolError = () => {}, poolSize = PG_POOL_SIZE, urgency = () => 0 }: OpenDatabaseOptions,
): Promise<DatabaseHandle> {
  const pool = new Pool({ connectionString: url, max: poolSize });
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on('error', onPoolError);
  // The pool stops listening while a connection is lent out, e.g. to a transaction between two of its queries: one
  // dropped then would be an unhandled 'error' event. Its next query fails instead, and that caller retries.
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    // drizzle's migrator takes no lock, and web and worker processes start together. The advisory lock is
    // per session, so lock, migrate and unlock all run on one dedicated connection.
    const client = await pool.connect();
    try {
      if (migrationsFolder) {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await migrateNodePg(drizzleNodePg({ client }), { migrationsFolder });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  // drizzle needs only `query` and `connect` of a pool, which PriorityPool has.
  const client = new PriorityPool(pool, poolSize, urgency) as unknown as Pool;
  const db: Database = drizzleNodePg({ client, schema });
  return {
    db,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}

/**
 * PostgreSQL's default 128 MB of shared buffers lives in PGlite's WebAssembly memory, which never shrinks. 16 MB holds
 * the pages Baton works on (the tails of the event tables and their indexes, the running sessions), and each MB less
 * is RSS saved: the bench's 30 sessions peaked at 374 MiB with 16 MB and 404 MiB with 32 MB, and 30,000 rows written
 * to a bare PGlite left it about 120 MiB smaller than with the default. Older pages are read from the data files.
 */
const PGLITE_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

async function openPglite(dataDir: string, migrationsFolder: string | undefined): Promise<DatabaseHandle> {
  let client: PGlite;
  if (dataDir === MEMORY_DATA_DIR) {
    client = await PGlite.create({ startParams: PGLITE_PARAMS });
  } else {
    const dir = path.resolve(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    client = await PGlite.create(dir, { startParams: PGLITE_PARAMS });
  }
  try {
    // One PGlite instance serves one process, so there is no concurrent migrator to guard against.
    if (migrationsFolder) await migratePglite(drizzlePglite({ client }), { migrationsFolder });
  } catch (error) {
    await client.close();
    throw error;
  }
  const db: Database = drizzlePglite({ client, schema });
  return {
    db,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
  };
}
