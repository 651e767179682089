import { App } from '@octokit/app';
import { Octokit } from '@octokit/core';
import type { GitHubRepository } from '../../domain/github';
import {
  CodeHostError,
  SESSION_PERMISSIONS,
  type CodeHost,
  type CodeHostEvent,
  type Installation,
  type InstallationToken,
} from '../../ports/code-host';

export interface GitHubAppOptions {
  appId: string;
  privateKey: string;
  webhookSecret: string;
  /** `https://api.github.com`, a GitHub Enterprise Server's `https://HOST/api/v3`, or a fake. */
  apiUrl: string;
}

interface RawRepository {
  id: number | bigint;
  full_name: string;
  private: boolean;
  default_branch?: string;
}

const toRepository = (r: RawRepository): GitHubRepository => ({
  id: Number(r.id),
  fullName: r.full_name,
  isPrivate: r.private,
  defaultBranch: r.default_branch ?? 'main',
});

const PAGE_SIZE = 100;

/** Where people (and git) find repositories: github.com for its API, the host itself for Enterprise Server. */
function webBaseUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  return `${url.origin}${url.pathname.replace(/\/api\/v3\/?$/, '').replace(/\/$/, '')}`;
}

const statusOf = (error: unknown): number | undefined =>
  typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;

// Octokit errors carry the request (with its authorization header) and the response; only the status goes on.
function toCodeHostError(error: unknown, what: string): CodeHostError {
  const status = statusOf(error);
  if (status === 404) return new CodeHostError('not_found', `GitHub could not find ${what}.`);
  if (status === 401 || status === 403 || status === 422)
    return new CodeHostError('forbidden', `GitHub refused ${what} (HTTP ${status}). Check the GitHub App's settings.`);
  if (status === undefined)
    return new CodeHostError('network', `Baton could not reach GitHub for ${what}. Check GITHUB_API_URL.`);
  return new CodeHostError('provider', `GitHub failed on ${what} (HTTP ${status}). Try again in a minute.`);
}

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toCodeHostError(error, what);
  }
}

/** `CodeHost` over `@octokit/app`: the app JWT for app calls, installation tokens for repository calls. */
export class GitHubApp implements CodeHost {
  private readonly app: App;
  private readonly BaseOctokit: typeof Octokit;
  private readonly webUrl: string;

  constructor(options: GitHubAppOptions) {
    this.webUrl = webBaseUrl(options.apiUrl);
    this.BaseOctokit = Octokit.defaults({ baseUrl: options.apiUrl });
    this.app = new App({
      appId: options.appId,
      privateKey: options.privateKey,
      webhooks: { secret: options.webhookSecret },
      Octokit: this.BaseOctokit,
    });
  }

  installationUrl(state: string): Promise<string> {
    return call("Baton's GitHub App", () => this.app.getInstallationUrl({ state }));
  }

  async installation(installationId: number): Promise<Installation | undefined> {
    try {
      const { data } = await this.app.octokit.request('GET /app/installations/{installation_id}', {
        installation_id: installationId,
      });
      const account = data.account && 'login' in data.account ? data.account.login : (data.account?.name ?? '');
      return {
        id: data.id,
        account,
        isSuspended: Boolean(data.suspended_at),
        createdAt: new Date(data.created_at),
        updatedAt: new Date(data.updated_at),
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw toCodeHostError(error, 'the installation');
    }
  }

  repositories(installationId: number): Promise<GitHubRepository[]> {
    return call("the installation's repositories", async () => {
      const octokit = await this.app.getInstallationOctokit(installationId);
      const found: GitHubRepository[] = [];
      // Pages of 100 (GitHub's largest) until GitHub's total is reached or a page comes back short.
      for (let page = 1; ; page++) {
        const { data } = await octokit.request('GET /installation/repositories', { per_page: PAGE_SIZE, page });
        found.push(...data.repositories.map(toRepository));
        if (data.repositories.length < PAGE_SIZE || found.length >= data.total_count) return found;
      }
    });
  }

  sessionToken(installationId: number, repositories: string[]): Promise<InstallationToken> {
    // The owner is implied by the installation; GitHub takes bare repository names.
    const names = repositories.map((fullName) => fullName.split('/').pop() ?? fullName);
    return call(`a token for ${repositories.join(', ')}`, async () => {
      const auth = (await this.app.octokit.auth({
        type: 'installation',
        installationId,
        repositoryNames: names,
        permissions: { ...SESSION_PERMISSIONS },
        refresh: true,
      })) as { token: string; expiresAt: string; permissions: Record<string, string>; repositoryNames?: string[] };
      return {
        token: auth.token,
        expiresAt: new Date(auth.expiresAt),
        repositories: auth.repositoryNames ?? names,
        permissions: auth.permissions,
      };
    });
  }

  repositoryUrl(fullName: string): string {
    return `${this.webUrl}/${fullName}`;
  }

  async revoke(token: string): Promise<void> {
    try {
      await new this.BaseOctokit({ auth: token }).request('DELETE /installation/token');
    } catch (error) {
      // 401: already expired or revoked, which is what revoking wants.
      if (statusOf(error) !== 401) throw toCodeHostError(error, 'revoking a session token');
    }
  }

  async receive(delivery: { id: string; name: string; signature: string; payload: string }): Promise<CodeHostEvent> {
    if (!(await this.app.webhooks.verify(delivery.payload, delivery.signature)))
      throw new CodeHostError('forbidden', 'The webhook signature does not match GITHUB_WEBHOOK_SECRET.');
    return parseDelivery(delivery.name, JSON.parse(delivery.payload) as DeliveryPayload);
  }
}

interface DeliveryPayload {
  action?: string;
  installation?: { id: number };
  repositories_added?: RawRepository[];
  repositories_removed?: { full_name: string }[];
}

function parseDelivery(name: string, payload: DeliveryPayload): CodeHostEvent {
  const installationId = payload.installation?.id;
  if (installationId === undefined) return { kind: 'ignored' };
  if (name === 'installation') {
    if (payload.action === 'deleted') return { kind: 'installation_removed', installationId };
    if (payload.action === 'suspend') return { kind: 'installation_suspended', installationId, isSuspended: true };
    if (payload.action === 'unsuspend') return { kind: 'installation_suspended', installationId, isSuspended: false };
  }
  if (name === 'installation_repositories') {
    return {
      kind: 'repositories_changed',
      installationId,
      added: (payload.repositories_added ?? []).map(toRepository),
      removed: (payload.repositories_removed ?? []).map((r) => r.full_name),
    };
  }
  return { kind: 'ignored' };
}
