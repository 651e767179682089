import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { BotRepository, DuplicateBotNameError } from '../../models/bots';
import { ClaudeConnectionRepository } from '../../models/claude-connections';
import { DuplicateKeyLabelError, ProviderKeyRepository } from '../../models/provider-keys';
import { sessions } from '../../models/schema';
import { WorkspaceAdminRepository } from '../../models/workspace-admins';
import { Secrets } from '../../src/crypto/secrets';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases';

describe.each(databaseKinds)('bot storage on %s', (kind) => {
  let database: TestDatabase;
  let botRepo: BotRepository;
  let keys: ProviderKeyRepository;
  let connections: ClaudeConnectionRepository;
  let admins: WorkspaceAdminRepository;
  const team = () => `T${randomBytes(4).toString('hex')}`;
  const newBot = (teamId: string, name: string) => ({
    teamId,
    name,
    displayName: name,
    icon: ':robot_face:',
    type: 'claude' as const,
    description: '',
    createdBy: 'U1',
  });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const { db } = database.handle;
    botRepo = new BotRepository(db);
    keys = new ProviderKeyRepository(db, new Secrets(randomBytes(32)));
    connections = new ClaudeConnectionRepository(db);
    admins = new WorkspaceAdminRepository(db);
  });
  afterAll(() => database.cleanup());

  it('keeps bot names unique per workspace, ignoring case, and lists them by name', async () => {
    const teamId = team();
    await botRepo.create(newBot(teamId, 'reviewer'));
    await botRepo.create(newBot(teamId, 'Archivist'));
    await expect(botRepo.create(newBot(teamId, 'Reviewer'))).rejects.toBeInstanceOf(DuplicateBotNameError);
    await botRepo.create(newBot(team(), 'reviewer'));
    const listed = await botRepo.listWithSessionCounts(teamId);
    expect(listed.map((b) => [b.name, b.status, b.sessionCount])).toEqual([
      ['Archivist', 'not_configured', 0],
      ['reviewer', 'not_configured', 0],
    ]);
    expect((await botRepo.findByName(teamId, 'REVIEWER'))?.name).toBe('reviewer');
  });

  it('stores NUL in text and jsonb columns, and lone surrogates in jsonb, as U+FFFD instead of failing', async () => {
    const teamId = team();
    const bot = await botRepo.create({ ...newBot(teamId, 'odd'), description: 'pasted \u0000 text' });
    expect((await botRepo.get(teamId, bot.id))?.description).toBe('pasted \ufffd text');
    const providerState = { 'agent\u0000': 'nul \u0000 and \udfff', ok: 'pair 🙂' };
    await database.handle.db.insert(sessions).values({
      id: `s-${teamId}`,
      teamId,
      botId: bot.id,
      channelId: 'C1',
      threadTs: '1.1',
      status: 'done',
      providerState,
    });
    const [row] = await database.handle.db
      .select({ state: sessions.providerState })
      .from(sessions)
      .where(sql`${sessions.id} = ${`s-${teamId}`}`);
    expect(row?.state).toEqual({ 'agent\ufffd': 'nul \ufffd and \ufffd', ok: 'pair 🙂' });
  });

  it('refuses a rename onto another bot and counts sessions and channels for delete', async () => {
    const teamId = team();
    const a = await botRepo.create(newBot(teamId, 'alpha'));
    await botRepo.create(newBot(teamId, 'beta'));
    await expect(botRepo.update(teamId, a.id, { name: 'BETA' })).rejects.toBeInstanceOf(DuplicateBotNameError);
    await database.handle.db.insert(sessions).values([
      { id: 's1', teamId, botId: a.id, channelId: 'C1', threadTs: '1.1', status: 'done' },
      { id: 's2', teamId, botId: a.id, channelId: 'C1', threadTs: '1.2', status: 'done' },
      { id: 's3', teamId, botId: a.id, channelId: 'C2', threadTs: '1.3', status: 'done' },
    ]);
    expect(await botRepo.usage(a.id)).toEqual({ sessions: 3, channels: 2 });
    expect((await botRepo.listWithSessionCounts(teamId)).map((b) => [b.name, b.sessionCount])).toEqual([
      ['alpha', 3],
      ['beta', 0],
    ]);
    // A mention's decision lists the bots without counting their sessions (no join on every mention).
    const forMention = await botRepo.list(teamId);
    expect(forMention.map((b) => b.name)).toEqual(['alpha', 'beta']);
    expect(forMention[0]).not.toHaveProperty('sessionCount');
    expect(await botRepo.delete(team(), a.id)).toBe(false);
    expect(await botRepo.delete(teamId, a.id)).toBe(true);
    expect(await botRepo.get(teamId, a.id)).toBeUndefined();
  });

  it('stores provider keys encrypted, shows only the masked hint, and names the bots using one', async () => {
    const teamId = team();
    const secret = `sk-ant-api03-${randomBytes(24).toString('base64url')}a1B2`;
    const key = await keys.create({ teamId, provider: 'anthropic', label: 'Prod', secret, createdBy: 'U1' });
    expect(key.hint).toBe('sk-ant-…a1B2');
    expect(JSON.stringify(key)).not.toContain(secret.slice(8, 30));
    const raw = await database.handle.db.execute(sql`select ciphertext from provider_keys where id = ${key.id}`);
    expect(JSON.stringify(raw)).not.toContain(secret.slice(8, 30));
    expect(await keys.reveal(teamId, key.id)).toBe(secret);
    expect(await keys.reveal(team(), key.id)).toBeUndefined();
    await expect(
      keys.create({ teamId, provider: 'anthropic', label: 'prod', secret: 'sk-ant-x', createdBy: 'U1' }),
    ).rejects.toBeInstanceOf(DuplicateKeyLabelError);

    const bot = await botRepo.create(newBot(teamId, 'user-of-key'));
    await connections.save(bot.id, { keyId: key.id });
    expect(await keys.usedBy(key.id)).toEqual(['user-of-key']);
    await keys.delete(teamId, key.id);
    expect((await connections.get(bot.id))?.keyId).toBeNull();
  });

  it('saves a connection in steps and records the synced resources', async () => {
    const bot = await botRepo.create(newBot(team(), 'synced'));
    await connections.save(bot.id, { model: 'claude-sonnet-4-6', guidance: 'Be brief' });
    await connections.save(bot.id, { mode: 'existing', vaultIds: ['vlt_1', 'vlt_2'] });
    await connections.recordSync(bot.id, { agentId: 'agent_1', environmentId: 'env_1', batonVaultId: 'vlt_b' }, true);
    expect(await connections.get(bot.id)).toMatchObject({
      mode: 'existing',
      model: 'claude-sonnet-4-6',
      guidance: 'Be brief',
      vaultIds: ['vlt_1', 'vlt_2'],
      agentId: 'agent_1',
      batonVaultId: 'vlt_b',
      syncedAt: expect.any(Date),
    });
  });

  it("forgets the admin's agent, environment and vaults when an existing connection becomes managed", async () => {
    const bot = await botRepo.create(newBot(team(), 'switched'));
    await connections.save(bot.id, { mode: 'existing', vaultIds: ['vlt_admin'] });
    await connections.recordSync(
      bot.id,
      { agentId: 'agent_admin', environmentId: 'env_admin', batonVaultId: 'vlt_b' },
      true,
    );
    await connections.save(bot.id, { mode: 'managed' });
    expect(await connections.get(bot.id)).toMatchObject({
      mode: 'managed',
      agentId: null,
      environmentId: null,
      vaultIds: [],
      batonVaultId: 'vlt_b',
      syncedAt: null,
    });
  });

  it("keeps Baton's admin list per workspace", async () => {
    const teamId = team();
    await admins.add(teamId, ['U1', 'U2'], 'U0');
    await admins.add(teamId, ['U2'], 'U0');
    expect(await admins.list(teamId)).toEqual(['U1', 'U2']);
    expect(await admins.isAdmin(teamId, 'U2')).toBe(true);
    await admins.remove(teamId, 'U2');
    expect(await admins.isAdmin(teamId, 'U2')).toBe(false);
    expect(await admins.list(team())).toEqual([]);
  });
});
