import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { SessionSpendRecord, SpendStore } from '../src/ports/settings';
import type { Database } from './database';
import { bots, sessionSpend, sessions, workspaceSettings } from './schema';

type SessionSpend = SessionSpendRecord;

export interface SpendReport {
  channels: Array<{ channelId: string; costUsd: number; sessions: number; tokens: number }>;
  bots: Array<{ botName: string; costUsd: number; sessions: number; tokens: number }>;
  costliest: Array<{ sessionId: string; channelId: string; threadTs: string; botName: string; costUsd: number }>;
  /** Sessions whose provider reports tokens but no cost (never counted as dollars). */
  uncostedTokens: number;
}

const tokens = sql<number>`coalesce(sum(${sessionSpend.inputTokens} + ${sessionSpend.outputTokens}), 0)::float8`;
const cost = sql<number>`coalesce(sum(${sessionSpend.costUsd}), 0)::float8`;

const SPEND_COLUMNS = {
  sessionId: sessionSpend.sessionId,
  limitCents: sessionSpend.limitCents,
  costUsd: sessionSpend.costUsd,
  inputTokens: sessionSpend.inputTokens,
  outputTokens: sessionSpend.outputTokens,
  config: sessionSpend.config,
};

/** Spending limits and what sessions spent: the workspace default, each session's limit, cost and tokens. */
export class SpendRepository implements SpendStore {
  // Every new session reads these: built once, prepared by name.
  private readonly budgetOf;
  private readonly bySession;

  constructor(private readonly db: Database) {
    this.budgetOf = db
      .select({ cents: workspaceSettings.sessionBudgetCents })
      .from(workspaceSettings)
      .where(eq(workspaceSettings.teamId, sql.placeholder('teamId')))
      .prepare('workspace_settings_budget');
    this.bySession = db
      .select(SPEND_COLUMNS)
      .from(sessionSpend)
      .where(eq(sessionSpend.sessionId, sql.placeholder('sessionId')))
      .prepare('session_spend_by_session');
  }

  async workspaceBudgetCents(teamId: string): Promise<number | null> {
    const [row] = await this.budgetOf.execute({ teamId });
    return row?.cents ?? null;
  }

  async setWorkspaceBudget(teamId: string, cents: number | null): Promise<void> {
    const updatedAt = new Date();
    await this.db
      .insert(workspaceSettings)
      .values({ teamId, sessionBudgetCents: cents, updatedAt })
      .onConflictDoUpdate({ target: workspaceSettings.teamId, set: { sessionBudgetCents: cents, updatedAt } });
  }

  /** Records a session's limit and configuration once; a repeat keeps the first (a raised limit stays raised). */
  async open(row: {
    sessionId: string;
    teamId: string;
    channelId: string;
    botId: string;
    limitCents: number;
    config: Record<string, unknown>;
  }): Promise<SessionSpend> {
    const [opened] = await this.db.insert(sessionSpend).values(row).onConflictDoNothing().returning(SPEND_COLUMNS);
    // A run that crashed after opening it finds the row it made.
    return opened ?? (await this.get(row.sessionId))!;
  }

  async get(sessionId: string): Promise<SessionSpend | undefined> {
    const [row] = await this.bySession.execute({ sessionId });
    return row;
  }

  /** The provider's cumulative figures; cost stays null for providers that report none. */
  async recordUsage(
    sessionId: string,
    usage: { costUsd: number | null; inputTokens: number; outputTokens: number },
  ): Promise<void> {
    await this.db
      .update(sessionSpend)
      .set({
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        ...(usage.costUsd === null ? {} : { costUsd: usage.costUsd }),
      })
      .where(eq(sessionSpend.sessionId, sessionId));
  }

  /** Raises the limit from what the presser saw, once: a second press or a retried job finds it raised. */
  async raiseLimit(sessionId: string, fromCents: number, byCents: number): Promise<number | null> {
    await this.db
      .update(sessionSpend)
      .set({ limitCents: fromCents + byCents })
      .where(and(eq(sessionSpend.sessionId, sessionId), eq(sessionSpend.limitCents, fromCents)));
    return (await this.get(sessionId))?.limitCents ?? null;
  }

  async channelSpendSince(teamId: string, channelId: string, since: Date): Promise<number> {
    const [row] = await this.db
      .select({ cost })
      .from(sessionSpend)
      .where(
        and(eq(sessionSpend.teamId, teamId), eq(sessionSpend.channelId, channelId), gte(sessionSpend.createdAt, since)),
      );
    return row?.cost ?? 0;
  }

  async report(teamId: string, since: Date, top = 5): Promise<SpendReport> {
    const scope = and(eq(sessionSpend.teamId, teamId), gte(sessionSpend.createdAt, since));
    const count = sql<number>`count(*)::int`;
    const [channels, perBot, costliest, [uncosted]] = await Promise.all([
      this.db
        .select({ channelId: sessionSpend.channelId, costUsd: cost, sessions: count, tokens })
        .from(sessionSpend)
        .where(scope)
        .groupBy(sessionSpend.channelId)
        .orderBy(desc(cost)),
      this.db
        .select({ botName: sql<string>`coalesce(${bots.name}, 'deleted bot')`, costUsd: cost, sessions: count, tokens })
        .from(sessionSpend)
        .leftJoin(bots, eq(bots.id, sessionSpend.botId))
        .where(scope)
        .groupBy(bots.name)
        .orderBy(desc(cost)),
      this.db
        .select({
          sessionId: sessionSpend.sessionId,
          channelId: sessionSpend.channelId,
          threadTs: sessions.threadTs,
          botName: sql<string>`coalesce(${bots.name}, 'deleted bot')`,
          costUsd: sql<number>`${sessionSpend.costUsd}::float8`,
        })
        .from(sessionSpend)
        .innerJoin(sessions, eq(sessions.id, sessionSpend.sessionId))
        .leftJoin(bots, eq(bots.id, sessionSpend.botId))
        .where(and(scope, sql`${sessionSpend.costUsd} > 0`))
        .orderBy(desc(sessionSpend.costUsd))
        .limit(top),
      this.db
        .select({ tokens })
        .from(sessionSpend)
        .where(and(scope, sql`${sessionSpend.costUsd} is null`)),
    ]);
    return { channels, bots: perBot, costliest, uncostedTokens: uncosted?.tokens ?? 0 };
  }
}
