import type { GitHubRepository } from '../domain/github';

export type CodeHostFailureKind = 'not_found' | 'forbidden' | 'network' | 'provider';

/** A failed call to GitHub, with a message an admin can act on (never containing a token). */
export class CodeHostError extends Error {
  override readonly name = 'CodeHostError';
  constructor(
    readonly kind: CodeHostFailureKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface Installation {
  id: number;
  /** The user or organization login the app is installed on. */
  account: string;
  isSuspended: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A short-lived installation token; `token` is a secret (never logged, never in Slack or a prompt). */
export interface InstallationToken {
  token: string;
  expiresAt: Date;
  repositories: string[];
  permissions: Record<string, string>;
}

/** What a session may do with its repositories: read and push code, open pull requests (metadata: to find them). */
export const SESSION_PERMISSIONS = { contents: 'write', pull_requests: 'write', metadata: 'read' } as const;

/** A session's GitHub token as Baton keeps it (encrypted at rest) until the session ends and revokes it. */
export interface StoredSessionToken {
  sessionId: string;
  installationId: number;
  /** `owner/name` of each repository the token reaches. */
  repositories: string[];
  token: string;
  expiresAt: Date;
}

/** A verified webhook delivery from GitHub, reduced to what Baton reacts to. */
export type CodeHostEvent =
  | { kind: 'installation_removed'; installationId: number }
  | { kind: 'installation_suspended'; installationId: number; isSuspended: boolean }
  | { kind: 'repositories_changed'; installationId: number; added: GitHubRepository[]; removed: string[] }
  | { kind: 'ignored' };

/**
 * Baton's GitHub App. Every method that reaches GitHub rejects with `CodeHostError`; app calls authenticate with the
 * app's own JWT, repository calls with installation tokens.
 */
export interface CodeHost {
  /** Where an admin installs the app (taken from the app's own `html_url`), carrying Baton's `state`. */
  installationUrl(state: string): Promise<string>;
  /** The installation as GitHub knows it for this app; `undefined` when it does not exist (or is not this app's). */
  installation(installationId: number): Promise<Installation | undefined>;
  /** Every repository the installation can reach (all pages). */
  repositories(installationId: number): Promise<GitHubRepository[]>;
  /** A fresh token limited to exactly these repositories (`owner/name`) and `SESSION_PERMISSIONS`. */
  sessionToken(installationId: number, repositories: string[]): Promise<InstallationToken>;
  /** The repository's web address (`https://github.com/owner/name`, or the Enterprise Server's), for cloning. */
  repositoryUrl(fullName: string): string;
  /** Revokes an installation token; a token already expired or revoked counts as done. */
  revoke(token: string): Promise<void>;
  /** Verifies a delivery's signature; rejects when it does not match, else returns what happened. */
  receive(delivery: { id: string; name: string; signature: string; payload: string }): Promise<CodeHostEvent>;
}
