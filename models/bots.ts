import { and, asc, count, countDistinct, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Bot, BotIdentityChanges, BotStatus, NewBot, ToolMode } from '../src/domain/bots';
import type { Database } from './database';
import { isUniqueViolation } from './errors';
import { newId } from './ids';
import { bots, sessions } from './schema';

/** Another bot in the workspace already has this name (names are unique, ignoring case). */
export class DuplicateBotNameError extends Error {
  override readonly name = 'DuplicateBotNameError';
}

export interface BotUsage {
  sessions: number;
  channels: number;
}

export class BotRepository {
  // Every mention reads the workspace's bots and every session's jobs its bot: built once, prepared by name.
  private readonly byId;
  private readonly byTeam;

  constructor(private readonly db: Database) {
    this.byId = db
      .select()
      .from(bots)
      .where(and(eq(bots.teamId, sql.placeholder('teamId')), eq(bots.id, sql.placeholder('id'))))
      .prepare('bots_by_id');
    this.byTeam = db
      .select()
      .from(bots)
      .where(eq(bots.teamId, sql.placeholder('teamId')))
      .orderBy(asc(sql`lower(${bots.name})`))
      .prepare('bots_by_team');
  }

  async create(bot: NewBot): Promise<Bot> {
    try {
      const [row] = await this.db
        .insert(bots)
        .values({ ...bot, id: newId('bot'), status: 'not_configured' })
        .returning();
      return row as Bot;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateBotNameError(bot.name, { cause: error });
      throw error;
    }
  }

  async update(teamId: string, id: string, changes: BotIdentityChanges): Promise<Bot | undefined> {
    try {
      const [row] = await this.db
        .update(bots)
        .set({ ...changes, updatedAt: new Date() })
        .where(and(eq(bots.teamId, teamId), eq(bots.id, id)))
        .returning();
      return row as Bot | undefined;
    } catch (error) {
      if (isUniqueViolation(error) && changes.name) throw new DuplicateBotNameError(changes.name, { cause: error });
      throw error;
    }
  }

  async get(teamId: string, id: string): Promise<Bot | undefined> {
    const [row] = await this.byId.execute({ teamId, id });
    return row as Bot | undefined;
  }

  async findByName(teamId: string, name: string): Promise<Bot | undefined> {
    const [row] = await this.db
      .select()
      .from(bots)
      .where(and(eq(bots.teamId, teamId), sql`lower(${bots.name}) = lower(${name})`));
    return row as Bot | undefined;
  }

  /** The workspace's bots by name; no session counts, so a mention's decision never scans the sessions table. */
  async list(teamId: string): Promise<Bot[]> {
    return (await this.byTeam.execute({ teamId })) as Bot[];
  }

  /** The workspace's bots by name, each with the number of sessions it has run (the bots list shows it). */
  async listWithSessionCounts(teamId: string): Promise<Array<Bot & { sessionCount: number }>> {
    const rows = await this.db
      .select({ bot: bots, sessionCount: count(sessions.id) })
      .from(bots)
      .leftJoin(sessions, eq(sessions.botId, bots.id))
      .where(eq(bots.teamId, teamId))
      .groupBy(bots.id)
      .orderBy(asc(sql`lower(${bots.name})`));
    return rows.map(({ bot, sessionCount }) => ({ ...(bot as Bot), sessionCount }));
  }

  async setStatus(id: string, status: BotStatus, detail: string | null = null): Promise<void> {
    await this.db.update(bots).set({ status, statusDetail: detail, updatedAt: new Date() }).where(eq(bots.id, id));
  }

  /**
   * Asks for a sync and claims the bot's sync for `ttlMs`. False when another sync holds it: that one sees the
   * request (it is marked pending first) and goes round again.
   */
  async claimSync(id: string, ttlMs: number): Promise<boolean> {
    await this.db.update(bots).set({ isSyncPending: true }).where(eq(bots.id, id));
    const now = new Date();
    const claimed = await this.db
      .update(bots)
      .set({ syncClaimedUntil: new Date(now.getTime() + ttlMs) })
      .where(and(eq(bots.id, id), or(isNull(bots.syncClaimedUntil), lt(bots.syncClaimedUntil, now))))
      .returning({ id: bots.id });
    return claimed.length > 0;
  }

  /** A sync round starts: requests from here on need another round. */
  async startSyncRound(id: string, ttlMs: number): Promise<void> {
    await this.db
      .update(bots)
      .set({ isSyncPending: false, syncClaimedUntil: new Date(Date.now() + ttlMs) })
      .where(eq(bots.id, id));
  }

  /** Lets go of the claim unless a request came in meanwhile; true when released (no round left). */
  async releaseSync(id: string, force = false): Promise<boolean> {
    const released = await this.db
      .update(bots)
      .set({ syncClaimedUntil: null })
      .where(force ? eq(bots.id, id) : and(eq(bots.id, id), eq(bots.isSyncPending, false)))
      .returning({ id: bots.id });
    return released.length > 0;
  }

  async setSessionBudget(teamId: string, id: string, cents: number | null): Promise<void> {
    await this.db
      .update(bots)
      .set({ sessionBudgetCents: cents, updatedAt: new Date() })
      .where(and(eq(bots.teamId, teamId), eq(bots.id, id)));
  }

  async setToolAccess(id: string, access: { toolMode: ToolMode; allowDirectApi: boolean }): Promise<void> {
    await this.db
      .update(bots)
      .set({ ...access, updatedAt: new Date() })
      .where(eq(bots.id, id));
  }

  async usage(id: string): Promise<BotUsage> {
    const [row] = await this.db
      .select({ sessions: count(sessions.id), channels: countDistinct(sessions.channelId) })
      .from(sessions)
      .where(eq(sessions.botId, id));
    return { sessions: row?.sessions ?? 0, channels: row?.channels ?? 0 };
  }

  async delete(teamId: string, id: string): Promise<boolean> {
    const deleted = await this.db
      .delete(bots)
      .where(and(eq(bots.teamId, teamId), eq(bots.id, id)))
      .returning({ id: bots.id });
    return deleted.length > 0;
  }
}
