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

/** Many workspaces: tokens come from the installation store; clients are kept briefly (LRU) per install. */
export class InstalledClients implements SlackClients {
  private readonly cache: LRUCache<string, WebClient>;
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

  async forTeam({ teamId, enterpriseId }: TeamRef): Promise<WebClient> {
    const key = `${enterpriseId ?? ''}/${teamId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const installation = await this.store
      .fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall: false })
      .catch(() => this.store.fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall: true }));
    const token = installation.bot?.token;
    if (!token) throw new Error(`installation for ${key} has no bot token`);
    const client = createWebClient(token, { ...this.options, teamId });
    this.cache.set(key, client);
    return client;
  }
}
