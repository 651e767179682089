import { desc, eq } from 'drizzle-orm';
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

  /** The team's newest entries first; `id` breaks ties between entries written in the same instant. */
  async recent(teamId: string, limit: number): Promise<AuditEntry[]> {
    return this.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.teamId, teamId))
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(limit);
  }
}
