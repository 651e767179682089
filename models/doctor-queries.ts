import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Provider } from '../src/domain/provider-keys';
import { findMigrationsFolder, type Database } from './database';
import { providerKeys, slackInstallations } from './schema';

interface Journal {
  entries: Array<{ tag: string; when: number }>;
}

/** Migrations in the repository that this database has not applied yet (by name), as drizzle decides it. */
export async function pendingMigrations(db: Database, migrationsFolder = findMigrationsFolder(__dirname)) {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal;
  let lastApplied = 0;
  try {
    const result = (await db.execute(sql`select max(created_at) as last from drizzle.__drizzle_migrations`)) as {
      rows: Array<{ last: string | number | null }>;
    };
    lastApplied = Number(result.rows[0]?.last ?? 0);
  } catch {
    // No migrations table: nothing was ever applied.
  }
  return journal.entries.filter((entry) => entry.when > lastApplied).map((entry) => entry.tag);
}

/** Every saved provider key of every workspace (no secrets), to check each one still works. */
export async function savedKeys(
  db: Database,
): Promise<Array<{ id: string; teamId: string; provider: Provider; label: string }>> {
  return db
    .select({
      id: providerKeys.id,
      teamId: providerKeys.teamId,
      provider: providerKeys.provider,
      label: providerKeys.label,
    })
    .from(providerKeys);
}

/** Workspaces Baton is installed in (OAuth installs). */
export async function installedTeams(
  db: Database,
): Promise<Array<{ teamId: string | null; enterpriseId: string | null }>> {
  return db
    .select({ teamId: slackInstallations.teamId, enterpriseId: slackInstallations.enterpriseId })
    .from(slackInstallations);
}
