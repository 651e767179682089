import { randomBytes } from 'node:crypto';
import { AccessTokenRepository, hashToken } from '../../models/access-tokens';
import { BotRepository } from '../../models/bots';
import { accessTokens } from '../../models/schema';
import { SessionRepository } from '../../models/sessions';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases';

describe.each(databaseKinds)('access tokens on %s', (kind) => {
  let database: TestDatabase;
  let tokens: AccessTokenRepository;
  let bots: BotRepository;
  let sessions: SessionRepository;
  const team = () => `T${randomBytes(4).toString('hex')}`;

  async function seed() {
    const teamId = team();
    const bot = await bots.create({
      teamId,
      name: 'reviewer',
      displayName: 'Reviewer',
      icon: null,
      type: 'claude',
      description: '',
      createdBy: 'U1',
    });
    const session = await sessions.create({
      teamId,
      botId: bot.id,
      channelId: 'C1',
      threadTs: '1.1',
      trigger: 'mention',
      triggerTs: '1.1',
      requesterId: 'U1',
      task: 'review',
    });
    return { teamId, bot, session };
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const { db } = database.handle;
    tokens = new AccessTokenRepository(db);
    bots = new BotRepository(db);
    sessions = new SessionRepository(db);
  });
  afterAll(() => database.cleanup());

  it('returns the plaintext once and stores only its hash and a masked hint', async () => {
    const { teamId, bot } = await seed();
    const { token, record } = await tokens.create({
      kind: 'api',
      teamId,
      botId: bot.id,
      scope: 'basic',
      label: 'CI',
      createdBy: 'U1',
    });
    expect(token).toMatch(/^btn_pat_[A-Za-z0-9_-]{43}$/);
    expect(record.hint).toBe(`btn_pat_…${token.slice(-4)}`);
    const rows = await database.handle.db.select().from(accessTokens);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.slice(8, 40));
    expect(rows.find((r) => r.id === record.id)?.tokenHash).toBe(hashToken(token));
    expect((await tokens.verify(token))?.id).toBe(record.id);
    expect(await tokens.verify(`${token.slice(0, -1)}x`)).toBeUndefined();
    expect(await tokens.verify('btn_pat_short')).toBeUndefined();
  });

  it('keeps one live MCP token per session and revokes it when the session ends', async () => {
    const { teamId, bot, session } = await seed();
    const mcp = (expiresAt = new Date(Date.now() + 60_000)) =>
      tokens.create({ kind: 'mcp', teamId, botId: bot.id, sessionId: session.id, scope: 'full', expiresAt });
    const first = await mcp();
    expect(first.token).toMatch(/^btn_mcp_/);
    const second = await mcp();
    expect(await tokens.verify(first.token)).toBeUndefined();
    expect(await tokens.verify(second.token)).toMatchObject({ sessionId: session.id, scope: 'full', kind: 'mcp' });
    await tokens.revokeForSession(session.id);
    expect(await tokens.verify(second.token)).toBeUndefined();
    const expired = await mcp(new Date(Date.now() - 1_000));
    expect(await tokens.verify(expired.token)).toBeUndefined();
  });

  it('lists a bot’s live API tokens, revokes only within the workspace and records use', async () => {
    const { teamId, bot, session } = await seed();
    const api = (label: string) =>
      tokens.create({ kind: 'api', teamId, botId: bot.id, scope: 'full', label, createdBy: 'U1' });
    const a = await api('a');
    const b = await api('b');
    await tokens.create({
      kind: 'mcp',
      teamId,
      botId: bot.id,
      sessionId: session.id,
      scope: 'basic',
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect((await tokens.list(bot.id)).map((t) => t.label).sort()).toEqual(['a', 'b']);
    expect(await tokens.revoke(team(), a.record.id)).toBe(false);
    expect(await tokens.revoke(teamId, a.record.id)).toBe(true);
    expect(await tokens.revoke(teamId, a.record.id)).toBe(false);
    expect((await tokens.list(bot.id)).map((t) => t.label)).toEqual(['b']);
    expect(await tokens.verify(a.token)).toBeUndefined();

    await tokens.touch(b.record.id);
    const used = (await tokens.get(teamId, b.record.id))?.lastUsedAt;
    expect(used).toBeInstanceOf(Date);
    await tokens.touch(b.record.id);
    expect((await tokens.get(teamId, b.record.id))?.lastUsedAt).toEqual(used);
  });
});
