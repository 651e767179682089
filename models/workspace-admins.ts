import { and, asc, eq } from 'drizzle-orm';
import type { Database } from './database';
import { workspaceAdmins } from './schema';

/** Baton's own admin list, on top of the workspace's admins and owners. */
export class WorkspaceAdminRepository {
  constructor(private readonly db: Database) {}

  async list(teamId: string): Promise<string[]> {
    const rows = await this.db
      .select({ userId: workspaceAdmins.userId })
      .from(workspaceAdmins)
      .where(eq(workspaceAdmins.teamId, teamId))
      .orderBy(asc(workspaceAdmins.addedAt));
    return rows.map((row) => row.userId);
  }

  async isAdmin(teamId: string, userId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ userId: workspaceAdmins.userId })
      .from(workspaceAdmins)
      .where(and(eq(workspaceAdmins.teamId, teamId), eq(workspaceAdmins.userId, userId)));
    return row !== undefined;
  }

  async add(teamId: string, userIds: string[], addedBy: string): Promise<void> {
    if (userIds.length === 0) return;
    await this.db
      .insert(workspaceAdmins)
      .values(userIds.map((userId) => ({ teamId, userId, addedBy })))
      .onConflictDoNothing();
  }

  async remove(teamId: string, userId: string): Promise<void> {
    await this.db
      .delete(workspaceAdmins)
      .where(and(eq(workspaceAdmins.teamId, teamId), eq(workspaceAdmins.userId, userId)));
  }
}
