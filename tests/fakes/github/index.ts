import { createHmac, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAppJwt } from './jwt';

export interface FakeRepository {
  id: number;
  name: string;
  private: boolean;
  default_branch: string;
}

export interface FakeInstallation {
  id: number;
  account: string;
  repositories: FakeRepository[];
  /** What the app was granted on this installation; tokens may only narrow it. */
  permissions: Record<string, 'read' | 'write'>;
  suspendedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MintedToken {
  token: string;
  installationId: number;
  repositories: string[];
  permissions: Record<string, string>;
  expiresAt: number;
  revokedAt: number | null;
  /** Whether the request narrowed repositories/permissions (a bare request gets all of the installation). */
  isNarrowed: boolean;
}

export interface FakeGitHubOptions {
  appId: string;
  slug: string;
  publicKey: KeyObject;
  webhookSecret: string;
  /**
   * The fake's clock (ms) for installation tokens: they expire an hour after it mints them. App JWTs are checked
   * against the real clock, since Octokit signs them with the process's own (a test cannot step it).
   */
  now?: () => number;
}

export interface RecordedGitHubRequest {
  method: string;
  path: string;
  auth: 'jwt' | 'token' | 'none';
  /** Request headers minus `authorization`. */
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;
const LEVEL = { read: 1, write: 2 } as const;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local GitHub REST API for one GitHub App, enough for `@octokit/app`: app JWTs are verified against the app's
 * public key, installation tokens honour the repositories and permissions asked for, repository lists paginate with
 * `Link` headers, installations can be suspended or removed, and webhook deliveries are signed like GitHub's.
 */
export class FakeGitHub {
  readonly installations = new Map<number, FakeInstallation>();
  readonly tokens = new Map<string, MintedToken>();
  readonly requests: RecordedGitHubRequest[] = [];
  url = '';
  private server = createServer((req, res) => void this.handle(req, res));
  private nextInstallation = 1000;
  private nextRepo = 5000;

  constructor(private readonly options: FakeGitHubOptions) {}

  private now() {
    return (this.options.now ?? Date.now)();
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** What GitHub does when someone installs the app on `account` and picks these repositories. */
  install(account: string, repositoryNames: string[]): FakeInstallation {
    const at = new Date(this.now()).toISOString();
    const installation: FakeInstallation = {
      id: this.nextInstallation++,
      account,
      repositories: repositoryNames.map((name) => ({
        id: this.nextRepo++,
        name,
        private: true,
        default_branch: 'main',
      })),
      permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
      suspendedAt: null,
      createdAt: at,
      updatedAt: at,
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  suspend(installationId: number): void {
    this.installation(installationId).suspendedAt = new Date(this.now()).toISOString();
  }

  uninstall(installationId: number): void {
    this.installations.delete(installationId);
  }

  removeRepository(installationId: number, name: string): void {
    const inst = this.installation(installationId);
    inst.repositories = inst.repositories.filter((r) => r.name !== name);
  }

  /** Tokens minted for an installation, oldest first. */
  tokensFor(installationId: number): MintedToken[] {
    return [...this.tokens.values()].filter((t) => t.installationId === installationId);
  }

  /** A delivery as GitHub signs it (`X-Hub-Signature-256`), for posting to Baton's webhook URL. */
  signedDelivery(event: string, payload: unknown, secret = this.options.webhookSecret) {
    const body = JSON.stringify(payload);
    const id = randomBytes(8).toString('hex');
    return {
      id,
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-delivery': id,
        'x-github-event': event,
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
    };
  }

  private installation(id: number): FakeInstallation {
    const found = this.installations.get(id);
    if (!found) throw new HttpError(404, 'Not Found');
    return found;
  }

  private fullName(inst: FakeInstallation, repo: FakeRepository) {
    return `${inst.account}/${repo.name}`;
  }

  private repoJson(inst: FakeInstallation, repo: FakeRepository) {
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: this.fullName(inst, repo),
      private: repo.private,
      default_branch: repo.default_branch,
      owner: { login: inst.account, id: 1, type: 'Organization' },
      html_url: `${this.url}/${inst.account}/${repo.name}`,
    };
  }

  private installationJson(inst: FakeInstallation) {
    return {
      id: inst.id,
      account: { login: inst.account, id: 1, type: 'Organization' },
      app_id: Number(this.options.appId),
      app_slug: this.options.slug,
      target_type: 'Organization',
      permissions: inst.permissions,
      repository_selection: 'selected',
      suspended_at: inst.suspendedAt,
      created_at: inst.createdAt,
      updated_at: inst.updatedAt,
    };
  }

  private requireJwt(req: IncomingMessage): void {
    const match = /^(?:bearer|token) (\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw new HttpError(401, 'Requires authentication');
    const checked = checkAppJwt(match[1]!, this.options.publicKey, this.options.appId, Math.floor(Date.now() / 1000));
    if ('problem' in checked) throw new HttpError(401, checked.problem);
  }

  private requireToken(req: IncomingMessage): MintedToken {
    const match = /^(?:bearer|token) (\S+)$/i.exec(req.headers.authorization ?? '');
    const minted = match ? this.tokens.get(match[1]!) : undefined;
    if (!minted || minted.revokedAt !== null || minted.expiresAt <= this.now())
      throw new HttpError(401, 'Bad credentials');
    if (!this.installations.has(minted.installationId)) throw new HttpError(401, 'Bad credentials');
    return minted;
  }

  private mint(inst: FakeInstallation, body: Record<string, unknown>) {
    if (inst.suspendedAt) throw new HttpError(403, 'This installation has been suspended');
    const names = body['repositories'];
    const ids = body['repository_ids'];
    let repos = inst.repositories;
    if (names !== undefined) {
      if (!Array.isArray(names)) throw new HttpError(422, 'repositories must be an array');
      repos = names.map((name) => {
        const repo = inst.repositories.find((r) => r.name === name);
        if (!repo)
          throw new HttpError(
            422,
            'There is at least one repository that does not exist or is not accessible to the parent installation.',
          );
        return repo;
      });
    } else if (ids !== undefined) {
      if (!Array.isArray(ids)) throw new HttpError(422, 'repository_ids must be an array');
      repos = ids.map((id) => {
        const repo = inst.repositories.find((r) => r.id === id);
        if (!repo)
          throw new HttpError(
            422,
            'There is at least one repository that does not exist or is not accessible to the parent installation.',
          );
        return repo;
      });
    }
    if (repos.length > 500) throw new HttpError(422, 'Too many repositories');
    const asked = body['permissions'] as Record<string, string> | undefined;
    const permissions: Record<string, string> = asked ?? { ...inst.permissions };
    for (const [name, level] of Object.entries(permissions)) {
      const granted = inst.permissions[name];
      if (!granted || !(level in LEVEL) || LEVEL[level as 'read' | 'write'] > LEVEL[granted])
        throw new HttpError(422, `The permissions requested are not granted to this installation.`);
    }
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    const minted: MintedToken = {
      token,
      installationId: inst.id,
      repositories: repos.map((r) => this.fullName(inst, r)),
      permissions,
      expiresAt: this.now() + TOKEN_LIFETIME_MS,
      revokedAt: null,
      isNarrowed: names !== undefined || ids !== undefined || asked !== undefined,
    };
    this.tokens.set(token, minted);
    return {
      token,
      expires_at: new Date(minted.expiresAt).toISOString(),
      permissions,
      repository_selection: names !== undefined || ids !== undefined ? 'selected' : 'all',
      ...(names !== undefined || ids !== undefined ? { repositories: repos.map((r) => this.repoJson(inst, r)) } : {}),
    };
  }

  private route(
    req: IncomingMessage,
    url: URL,
    body: Record<string, unknown>,
  ): { status: number; json?: unknown; headers?: Record<string, string> } {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/app') {
      this.requireJwt(req);
      return {
        status: 200,
        json: {
          id: Number(this.options.appId),
          slug: this.options.slug,
          name: this.options.slug,
          html_url: `${this.url}/apps/${this.options.slug}`,
        },
      };
    }
    // The install page a browser lands on (here only to show the redirect arrived with Baton's state).
    if (method === 'GET' && path === `/apps/${this.options.slug}/installations/new`) {
      return { status: 200, json: { page: 'install', state: url.searchParams.get('state') } };
    }
    let m = /^\/app\/installations\/(\d+)$/.exec(path);
    if (m && method === 'GET') {
      this.requireJwt(req);
      return { status: 200, json: this.installationJson(this.installation(Number(m[1]))) };
    }
    m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (m && method === 'POST') {
      this.requireJwt(req);
      return { status: 201, json: this.mint(this.installation(Number(m[1])), body) };
    }
    if (method === 'GET' && path === '/installation/repositories') {
      const minted = this.requireToken(req);
      const inst = this.installation(minted.installationId);
      const visible = inst.repositories.filter((r) => minted.repositories.includes(this.fullName(inst, r)));
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Math.max(Number(url.searchParams.get('page') ?? 1), 1);
      const slice = visible.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < visible.length) {
        const next = new URL(url.toString());
        next.searchParams.set('page', String(page + 1));
        next.searchParams.set('per_page', String(perPage));
        headers['link'] = `<${this.url}${next.pathname}${next.search}>; rel="next"`;
      }
      return {
        status: 200,
        headers,
        json: {
          total_count: visible.length,
          repository_selection: 'selected',
          repositories: slice.map((r) => this.repoJson(inst, r)),
        },
      };
    }
    if (method === 'DELETE' && path === '/installation/token') {
      const minted = this.requireToken(req);
      minted.revokedAt = this.now();
      return { status: 204 };
    }
    throw new HttpError(404, 'Not Found');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const url = new URL(req.url ?? '/', this.url);
    const auth = req.headers.authorization ?? '';
    let body: Record<string, unknown>;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return this.send(res, 400, { message: 'Problems parsing JSON' });
    }
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      auth: /^bearer ey/i.test(auth) ? 'jwt' : auth ? 'token' : 'none',
      headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'authorization')),
      body: raw ? body : undefined,
    });
    try {
      const out = this.route(req, url, body);
      this.send(res, out.status, out.json, out.headers);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      this.send(res, error.status, { message: error.message, documentation_url: 'https://docs.github.com/rest' });
    }
  }

  private send(res: ServerResponse, status: number, json?: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, {
      ...(json === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...headers,
    });
    res.end(json === undefined ? undefined : JSON.stringify(json));
  }
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const fake = new FakeGitHub(options);
  await fake.listen();
  return fake;
}
