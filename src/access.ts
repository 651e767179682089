import type { WebClient } from '@slack/web-api';
import { LRUCache } from 'lru-cache';

export interface AdminList {
  list(teamId: string): Promise<string[]>;
  isAdmin(teamId: string, userId: string): Promise<boolean>;
}

/** How long a Slack role counts as fresh where asking Slack again is affordable (commands, buttons). */
const ROLE_FRESH_MS = 60_000;
/**
 * How long a Slack role may answer a modal submit, which has 3 s to ack and cannot wait for `users.info`: about as
 * long as someone keeps a form open. Older or unknown roles are checked after the ack.
 */
const ROLE_KNOWN_MS = 15 * 60_000;
/** Roles kept per process; in OAuth mode users of every workspace pass through here. */
const ROLE_CACHE_MAX = 10_000;

export interface AccessPolicyOptions {
  now?: () => number;
  maxRoles?: number;
}

/**
 * Who may configure Baton: workspace admins and owners, and users on Baton's own admin list. Checked on the
 * server for every action and submission. Slack roles are cached per user, to keep acks fast.
 */
export class AccessPolicy {
  private readonly roles: LRUCache<string, { isAdmin: boolean; checkedAt: number }>;
  private readonly now: () => number;

  constructor(
    private readonly admins: AdminList,
    options: AccessPolicyOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.roles = new LRUCache({ max: options.maxRoles ?? ROLE_CACHE_MAX });
  }

  async canConfigure(client: WebClient, teamId: string, userId: string): Promise<boolean> {
    if (await this.admins.isAdmin(teamId, userId)) return true;
    return this.isWorkspaceAdmin(client, teamId, userId);
  }

  /**
   * The same answer from Baton's admin list and the cached Slack role only, never from Slack: undefined when the
   * role is unknown or too old to trust, and the caller must ask `canConfigure` once it has acked.
   */
  async knownCanConfigure(teamId: string, userId: string): Promise<boolean | undefined> {
    if (await this.admins.isAdmin(teamId, userId)) return true;
    const cached = this.roles.get(`${teamId}/${userId}`);
    if (!cached) return undefined;
    // A confirmed admin stays trusted while the form is open; a refusal only while fresh, so a new admin can save.
    const age = this.now() - cached.checkedAt;
    return age < (cached.isAdmin ? ROLE_KNOWN_MS : ROLE_FRESH_MS) ? cached.isAdmin : undefined;
  }

  async isWorkspaceAdmin(client: WebClient, teamId: string, userId: string): Promise<boolean> {
    const key = `${teamId}/${userId}`;
    const cached = this.roles.get(key);
    if (cached && this.now() - cached.checkedAt < ROLE_FRESH_MS) return cached.isAdmin;
    const { user } = await client.users.info({ user: userId });
    const isAdmin = Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
    this.roles.set(key, { isAdmin, checkedAt: this.now() });
    return isAdmin;
  }

  /** What a non-admin sees: who to ask, by name (Slack renders the mentions as names). */
  async denial(teamId: string): Promise<string> {
    const admins = (await this.admins.list(teamId)).map((id) => `<@${id}>`);
    const who = admins.length > 0 ? `${admins.join(', ')} or a workspace admin` : 'a workspace admin or owner';
    return `Only Baton admins can change bots, keys and settings. Ask an admin: ${who}.`;
  }
}
