import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Installation } from '@slack/bolt';
import { eq, sql } from 'drizzle-orm';
import { AuditLog } from '../../models/audit-log';
import { findMigrationsFolder, openDatabase, type Database, type DatabaseHandle } from '../../models/database';
import { DbInstallationStore, InstallationNotFoundError } from '../../models/installation-store';
import { ProcessedEvents } from '../../models/processed-events';
import { slackInstallations } from '../../models/schema';
import { SecretDecryptError, Secrets } from '../../src/crypto/secrets';
import { createScratchPostgres, databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Both drivers return `{ rows }` from execute(); the shared Database type cannot say so.
async function rows<T>(db: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

// Every migration in the journal is applied exactly once.
const migrationCount = (
  JSON.parse(readFileSync(path.join(findMigrationsFolder(__dirname), 'meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  }
).entries.length;

const appliedMigrations = async (db: Database) =>
  Number((await rows<{ n: string }>(db, sql`select count(*) as n from drizzle.__drizzle_migrations`))[0]?.n);

function teamInstall(teamId: string, token = `xoxb-${teamId}-${randomBytes(8).toString('hex')}`): Installation<'v2'> {
  return {
    team: { id: teamId, name: 'Acme' },
    enterprise: undefined,
    user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
    bot: {
      token,
      refreshToken: `xoxe-1-${randomBytes(8).toString('hex')}`,
      expiresAt: 1_900_000_000,
      scopes: ['app_mentions:read', 'chat:write'],
      id: 'B0BOT',
      userId: 'U0BOT',
    },
    appId: 'A0APP',
    tokenType: 'bot',
    isEnterpriseInstall: false,
    authVersion: 'v2',
    metadata: '{"source":"test"}',
  };
}

describe.each(databaseKinds)('storage on %s', (kind) => {
  let test: TestDatabase;
  let db: Database;
  const secrets = new Secrets(randomBytes(32));

  beforeAll(async () => {
    test = await openTestDatabase(kind);
    db = test.handle.db;
  });
  afterAll(() => test?.cleanup());

  it('applies the migrations on open and answers ping', async () => {
    const tables = await rows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['audit_log', 'processed_events', 'slack_installations', 'bots', 'provider_keys']),
    );
    expect(await appliedMigrations(db)).toBe(migrationCount);
    await expect(test.handle.ping()).resolves.toBeUndefined();
  });

  describe('installation store', () => {
    const store = () => new DbInstallationStore(db, secrets);

    it('round-trips an installation while keeping tokens encrypted at rest', async () => {
      const installation = teamInstall('T0ROUNDTRIP');
      await store().storeInstallation(installation);
      const query = { teamId: 'T0ROUNDTRIP', enterpriseId: undefined, isEnterpriseInstall: false };
      expect(await store().fetchInstallation(query)).toEqual(installation);

      const [row] = await db.select().from(slackInstallations).where(eq(slackInstallations.installKey, 'T0ROUNDTRIP'));
      const raw = JSON.stringify(row);
      expect(raw).not.toContain(installation.bot?.token);
      expect(raw).not.toContain(installation.bot?.refreshToken);
      expect(secrets.decrypt(row?.botTokenCiphertext ?? '')).toBe(installation.bot?.token);
      await expect(new DbInstallationStore(db, new Secrets(randomBytes(32))).fetchInstallation(query)).rejects.toThrow(
        SecretDecryptError,
      );
    });

    it('replaces tokens on a second store but keeps the first install time', async () => {
      await store().storeInstallation(teamInstall('T0UPSERT', 'xoxb-old'));
      const [before] = await db.select().from(slackInstallations).where(eq(slackInstallations.installKey, 'T0UPSERT'));
      await sleep(5);
      await store().storeInstallation(teamInstall('T0UPSERT', 'xoxb-new'));
      const query = { teamId: 'T0UPSERT', enterpriseId: undefined, isEnterpriseInstall: false };
      expect((await store().fetchInstallation(query)).bot?.token).toBe('xoxb-new');
      const after = await db.select().from(slackInstallations).where(eq(slackInstallations.installKey, 'T0UPSERT'));
      expect(after).toHaveLength(1);
      expect(after[0]?.installedAt).toEqual(before?.installedAt);
      expect(after[0]?.updatedAt.getTime()).toBeGreaterThan(before?.updatedAt.getTime() ?? Infinity);
    });

    it('keys org-wide installs by enterprise id, apart from a team install in the same org', async () => {
      const org: Installation<'v2', true> = {
        ...teamInstall('T0IGNORED'),
        team: undefined,
        enterprise: { id: 'E0ORG', name: 'Acme Org' },
        enterpriseUrl: 'https://acme.enterprise.slack.com/',
        isEnterpriseInstall: true,
      };
      await store().storeInstallation(org);
      await store().storeInstallation({ ...teamInstall('T0INORG', 'xoxb-team'), enterprise: { id: 'E0ORG' } });

      const fromAnyWorkspace = { teamId: 'T0OTHER', enterpriseId: 'E0ORG', isEnterpriseInstall: true };
      expect(await store().fetchInstallation(fromAnyWorkspace)).toEqual(org);
      const teamQuery = { teamId: 'T0INORG', enterpriseId: 'E0ORG', isEnterpriseInstall: false };
      expect((await store().fetchInstallation(teamQuery)).bot?.token).toBe('xoxb-team');
      const keys = await db.select({ key: slackInstallations.installKey }).from(slackInstallations);
      expect(keys.map((k) => k.key)).toEqual(expect.arrayContaining(['E0ORG', 'T0INORG']));
    });

    it('rejects a fetch for a workspace that never installed', async () => {
      const query = { teamId: 'T0MISSING', enterpriseId: undefined, isEnterpriseInstall: false };
      await expect(store().fetchInstallation(query)).rejects.toThrow(InstallationNotFoundError);
    });

    it('forgets an installation on delete', async () => {
      await store().storeInstallation(teamInstall('T0DELETE'));
      const query = { teamId: 'T0DELETE', enterpriseId: undefined, isEnterpriseInstall: false };
      await store().deleteInstallation(query);
      await expect(store().fetchInstallation(query)).rejects.toThrow(InstallationNotFoundError);
      await expect(store().deleteInstallation(query)).resolves.toBeUndefined();
    });

    it('reads an installation once for requests close together, and afresh once it is stored again or deleted', async () => {
      const shared = store();
      const query = { teamId: 'T0REUSED', enterpriseId: undefined, isEnterpriseInstall: false };
      await expect(shared.fetchInstallation(query)).rejects.toThrow(InstallationNotFoundError);
      await shared.storeInstallation(teamInstall('T0REUSED', 'xoxb-first'));
      expect((await shared.fetchInstallation(query)).bot?.token).toBe('xoxb-first');

      // Another process changes the row: this one keeps what it read, for a few seconds.
      await store().storeInstallation(teamInstall('T0REUSED', 'xoxb-elsewhere'));
      expect((await shared.fetchInstallation(query)).bot?.token).toBe('xoxb-first');

      await shared.storeInstallation(teamInstall('T0REUSED', 'xoxb-second'));
      expect((await shared.fetchInstallation(query)).bot?.token).toBe('xoxb-second');
      await shared.deleteInstallation(query);
      await expect(shared.fetchInstallation(query)).rejects.toThrow(InstallationNotFoundError);
    });
  });

  describe('processed events', () => {
    it('lets only the first claim of an event id through', async () => {
      const events = new ProcessedEvents(db);
      expect(await events.claim('Ev0ONCE', 60_000)).toBe(true);
      expect(await events.claim('Ev0ONCE', 60_000)).toBe(false);
      const racing = await Promise.all([1, 2, 3, 4].map(() => events.claim('Ev0RACE', 60_000)));
      expect(racing.filter(Boolean)).toHaveLength(1);
    });

    it('allows a claim again once the previous one expired', async () => {
      const events = new ProcessedEvents(db);
      expect(await events.claim('Ev0EXPIRES', 1)).toBe(true);
      await sleep(20);
      expect(await events.claim('Ev0EXPIRES', 60_000)).toBe(true);
      expect(await events.claim('Ev0EXPIRES', 60_000)).toBe(false);
    });

    it('purges expired claims and keeps live ones', async () => {
      const events = new ProcessedEvents(db);
      await events.claim('Ev0PURGE_OLD', 1);
      await events.claim('Ev0PURGE_LIVE', 60_000);
      await sleep(20);
      expect(await events.purgeExpired()).toBeGreaterThanOrEqual(1);
      const left = await rows<{ event_id: string }>(
        db,
        sql`select event_id from processed_events where event_id like 'Ev0PURGE%'`,
      );
      expect(left.map((r) => r.event_id)).toEqual(['Ev0PURGE_LIVE']);
      expect(await events.purgeExpired(new Date(Date.now() + 120_000))).toBeGreaterThanOrEqual(1);
      expect(await events.claim('Ev0PURGE_LIVE', 60_000)).toBe(true);
    });
  });

  it('returns a team’s audit entries newest first, without other teams’', async () => {
    const audit = new AuditLog(db);
    await audit.record({ teamId: 'T0AUDIT', actorId: 'U1', action: 'bot.created', target: 'bot:1' });
    await audit.record({ teamId: 'T0OTHER', actorId: 'U2', action: 'bot.created', target: 'bot:2' });
    await audit.record({
      teamId: 'T0AUDIT',
      actorId: 'system',
      action: 'bot.renamed',
      target: 'bot:1',
      details: { to: 'Ada' },
    });
    await audit.record({ teamId: 'T0AUDIT', actorId: 'U1', action: 'bot.deleted', target: 'bot:1' });

    const recent = await audit.recent('T0AUDIT', 2);
    expect(recent.map((e) => e.action)).toEqual(['bot.deleted', 'bot.renamed']);
    expect(recent[1]).toMatchObject({ actorId: 'system', target: 'bot:1', details: { to: 'Ada' } });
    expect(recent[0]?.createdAt).toBeInstanceOf(Date);
    expect(await audit.recent('T0AUDIT', 10)).toHaveLength(3);
  });
});

describe('migrations on a persisted PGlite directory', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-pglite-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps data across restarts and applies nothing twice', async () => {
    let handle: DatabaseHandle = await openDatabase({ dataDir });
    await new AuditLog(handle.db).record({ teamId: 'T0DISK', actorId: 'system', action: 'test', target: 'disk' });
    await handle.close();

    handle = await openDatabase({ dataDir });
    try {
      expect(await appliedMigrations(handle.db)).toBe(migrationCount);
      expect(await new AuditLog(handle.db).recent('T0DISK', 5)).toHaveLength(1);
    } finally {
      await handle.close();
    }
  });
});

describe('migrations on PostgreSQL', () => {
  it('survives several processes starting at once, then reopening', async () => {
    const scratch = await createScratchPostgres();
    const handles: DatabaseHandle[] = [];
    try {
      const open = () => openDatabase({ databaseUrl: scratch.url, dataDir: 'memory://' });
      handles.push(...(await Promise.all([open(), open(), open(), open()])));
      handles.push(await open());
      expect(await appliedMigrations(handles[0]!.db)).toBe(migrationCount);
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
      await scratch.drop();
    }
  });
});
