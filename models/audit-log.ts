import { and, desc, eq, sql } from 'drizzle-orm';
import type { AuditEntryInput, AuditTrail } from '../src/ports/storage';
import type { Database } from './database';
import { auditLog } from './schema';

export interface AuditEntry extends Required<AuditEntryInput> {
  id: number;
  createdAt: Date;
}

/** Append-only record of who changed what. Callers pass ids and names, never secret values. */
export class AuditLog implements AuditTrail {
  constructor(private readonly db: Database) {}

  async record(entry: AuditEntryInput): Promise<void> {
    await this.db.insert(auditLog).values({
      teamId: entry.teamId,
      actorId: entry.actorId,
      action: entry.action,
      target: entry.target,
      details: entry.details ?? {},
    });
  }

  /** Who answered a session's tool approvals, oldest first (for its session page). */
  async approvals(
    teamId: string,
    sessionId: string,
  ): Promise<Array<{ stepId: string; userId: string; isTimeout: boolean }>> {
    const rows = await this.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.teamId, teamId), eq(auditLog.target, sessionId), sql`${auditLog.action} like 'session.tool_%'`),
      )
      .orderBy(auditLog.id);
    return rows.map((row) => ({
      stepId: String(row.details.stepId ?? ''),
      userId: row.actorId,
      isTimeout: row.details.isTimeout === true,
    }));
  }

  /**
   * The team's newest entries first; `id` breaks ties between entries written in the same instant.
   * `changesOnly` leaves out the per-call rows of the MCP server and REST API (`mcp.*`, `api.*`).
   */
  async recent(teamId: string, limit: number, { changesOnly = false } = {}): Promise<AuditEntry[]> {
    const calls = sql`${auditLog.action} not like 'mcp.%' and ${auditLog.action} not like 'api.%'`;
    return this.db
      .select()
      .from(auditLog)
      .where(changesOnly ? and(eq(auditLog.teamId, teamId), calls) : eq(auditLog.teamId, teamId))
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(limit);
  }
}
