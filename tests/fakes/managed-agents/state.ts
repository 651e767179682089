import { notFound } from './errors';
import { IdGenerator, isoNow, type Clock } from './ids';
import { FakeSkills } from './skills';
import type { Agent, Environment, Session, SessionEvent, StoredCredential, StoredResource, Vault } from './types';

/**
 * Everything the fake knows, in plain maps a test may read or change directly, for instance
 * `state.agents.delete(id)` to model a resource removed in the Console.
 */
export class FakeState {
  /** Latest version of each agent. */
  readonly agents = new Map<string, Agent>();
  /** Every version of each agent, oldest first. */
  readonly agentVersions = new Map<string, Agent[]>();
  readonly environments = new Map<string, Environment>();
  readonly vaults = new Map<string, Vault>();
  readonly credentials = new Map<string, StoredCredential>();
  readonly sessions = new Map<string, Session>();
  /** Every session and vault ever created, deleted ones too, so a test can tell what was left behind. */
  readonly created = new Map<string, Session | Vault>();
  /** Sessions idled at their budget (`budget_reached`) until it is raised. */
  readonly budgetPaused = new Set<string>();
  readonly sessionResources = new Map<string, StoredResource[]>();
  /** Append-only event log per session (never holds `event_start` / `event_delta`). */
  readonly events = new Map<string, SessionEvent[]>();
  readonly ids = new IdGenerator();
  /** Anthropic's built-in skills and the custom skills uploaded, with their versions. */
  readonly skills: FakeSkills;

  constructor(private readonly clock: Clock) {
    this.skills = new FakeSkills(this.ids, () => this.now());
  }

  now(): string {
    return isoNow(this.clock);
  }

  getAgent(id: string): Agent {
    const agent = this.agents.get(id);
    if (!agent) throw notFound(`Agent ${id} not found.`);
    return agent;
  }

  getEnvironment(id: string): Environment {
    const env = this.environments.get(id);
    if (!env) throw notFound(`Environment ${id} not found.`, 'environment_not_found');
    return env;
  }

  getVault(id: string): Vault {
    const vault = this.vaults.get(id);
    if (!vault) throw notFound(`Vault ${id} not found.`);
    return vault;
  }

  getCredential(vaultId: string, id: string): StoredCredential {
    this.getVault(vaultId);
    const stored = this.credentials.get(id);
    if (!stored || stored.credential.vault_id !== vaultId) throw notFound(`Credential ${id} not found.`);
    return stored;
  }

  credentialsOf(vaultId: string): StoredCredential[] {
    return [...this.credentials.values()].filter((c) => c.credential.vault_id === vaultId);
  }

  getSession(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw notFound(`Session ${id} not found.`);
    return session;
  }

  eventsOf(sessionId: string): SessionEvent[] {
    let log = this.events.get(sessionId);
    if (!log) {
      log = [];
      this.events.set(sessionId, log);
    }
    return log;
  }

  /**
   * Finds a live credential for an MCP server URL in the given vaults, in `vault_ids` order.
   * Matching is exact, ignoring one trailing slash (normalisation on the real API is unconfirmed).
   */
  findMcpCredential(vaultIds: string[], url: string): StoredCredential | undefined {
    const norm = (u: string) => u.replace(/\/$/, '');
    for (const vaultId of vaultIds) {
      const vault = this.vaults.get(vaultId);
      if (!vault || vault.archived_at) continue;
      const match = this.credentialsOf(vaultId).find((c) => {
        const auth = c.credential.auth;
        return !c.credential.archived_at && 'mcp_server_url' in auth && norm(auth.mcp_server_url) === norm(url);
      });
      if (match) return match;
    }
    return undefined;
  }
}
