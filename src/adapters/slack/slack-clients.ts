import type { InstallationStore } from '@slack/bolt';
import type { WebClient, WebClientOptions } from '@slack/web-api';
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

/** Many workspaces: tokens come from the installation store; clients are cached briefly per install. */
export class InstalledClients implements SlackClients {
  private readonly cache = new Map<string, { client: WebClient; expiresAt: number }>();
  constructor(
    private readonly store: InstallationStore,
    private readonly options: WebClientOptions,
  ) {}

  async forTeam({ teamId, enterpriseId }: TeamRef): Promise<WebClient> {
    const key = `${enterpriseId ?? ''}/${teamId}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.client;
    const installation = await this.store
      .fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall: false })
      .catch(() => this.store.fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall: true }));
    const token = installation.bot?.token;
    if (!token) throw new Error(`installation for ${key} has no bot token`);
    const client = createWebClient(token, { ...this.options, teamId });
    this.cache.set(key, { client, expiresAt: Date.now() + CACHE_TTL_MS });
    return client;
  }
}
