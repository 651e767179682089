import type { WebClient } from '@slack/web-api';

export interface AdminList {
  list(teamId: string): Promise<string[]>;
  isAdmin(teamId: string, userId: string): Promise<boolean>;
}

const ROLE_TTL_MS = 60_000;

/**
 * Who may configure Baton: workspace admins and owners, and users on Baton's own admin list. Checked on the
 * server for every action and submission. Slack roles are cached for a minute per user, to keep acks fast.
 */
export class AccessPolicy {
  private readonly roles = new Map<string, { isAdmin: boolean; expiresAt: number }>();

  constructor(private readonly admins: AdminList) {}

  async canConfigure(client: WebClient, teamId: string, userId: string): Promise<boolean> {
    if (await this.admins.isAdmin(teamId, userId)) return true;
    return this.isWorkspaceAdmin(client, teamId, userId);
  }

  async isWorkspaceAdmin(client: WebClient, teamId: string, userId: string): Promise<boolean> {
    const key = `${teamId}/${userId}`;
    const cached = this.roles.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.isAdmin;
    const { user } = await client.users.info({ user: userId });
    const isAdmin = Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
    this.roles.set(key, { isAdmin, expiresAt: Date.now() + ROLE_TTL_MS });
    return isAdmin;
  }

  /** What a non-admin sees: who to ask, by name (Slack renders the mentions as names). */
  async denial(teamId: string): Promise<string> {
    const admins = (await this.admins.list(teamId)).map((id) => `<@${id}>`);
    const who = admins.length > 0 ? `${admins.join(', ')} or a workspace admin` : 'a workspace admin or owner';
    return `Only Baton admins can change bots, keys and settings. Ask an admin: ${who}.`;
  }
}
