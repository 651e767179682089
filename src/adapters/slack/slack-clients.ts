import type { InstallationStore } from '@slack/bolt';
import type { WebClient, WebClientOptions } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import type { SlackClients, TeamRef } from '../../ports/slack-clients';
import { createWebClient } from './web-client';

/** One workspace, one bot token from the environment. */
export class SingleTokenClients implements SlackClients {
  private readonly client: WebClient;
  constructor(token: string, options: WebClientOptions) {
    this.client = createWebClient(token, options);
  }
  async forTeam(): Promise<WebClient> {
    return this.client;
  }
}

const CACHE_TTL_MS = 60_000;
/** Workspaces whose client a process keeps; others fetch their installation again when next needed. */
export const CLIENTS_KEPT = 500;

export interface InstalledClientsOptions {
  max?: number;
  ttlMs?: number;
  now?: () => number;
}

/**
 * Many workspaces: tokens come from the installation store; clients are kept briefly (LRU) per install. Calls that
 * arrive together for a workspace share one read of its installation (20 sessions starting at once read it once).
 */
export class InstalledClients implements SlackClients {
  private readonly cache: LRUCache<string, Promise<WebClient>>;
  constructor(
    private readonly store: InstallationStore,
    private readonly options: WebClientOptions,
    kept: InstalledClientsOptions = {},
  ) {
    this.cache = new LRUCache({
      max: kept.max ?? CLIENTS_KEPT,
      ttl: kept.ttlMs ?? CACHE_TTL_MS,
      ttlResolution: 0,
      ...(kept.now ? { perf: { now: kept.now } } : {}),
    });
  }

  forTeam(team: TeamRef): Promise<WebClient> {
    const key = `${team.enterpriseId ?? ''}/${team.teamId}`;
    let client = this.cache.get(key);
    if (!client) {
      client = this.connect(team, key);
      this.cache.set(key, client);
      // A failed read is not kept: the next call reads again.
      client.catch(() => {
        if (this.cache.peek(key) === client) this.cache.delete(key);
      });
    }
    return client;
  }

  private async connect({ teamId, enterpriseId }: TeamRef, key: string): Promise<WebClient> {
    const installation = await this.store
      .fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall: false })
      .catch(() => this.store.fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall: true }));
    const token = installation.bot?.token;
    if (!token) throw new Error(`installation for ${key} has no bot token`);
    return createWebClient(token, { ...this.options, teamId });
  }
}
