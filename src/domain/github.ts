/** A repository the bot's GitHub App installation can reach. */
export interface GitHubRepository {
  id: number;
  /** `owner/name`, the name people read and Baton mounts by. */
  fullName: string;
  isPrivate: boolean;
  defaultBranch: string;
}

/** A repository chosen for a bot's sessions, with the branch to check out (`null`: its default branch). */
export interface ChosenRepository {
  fullName: string;
  branch: string | null;
}

/** `active` until GitHub tells Baton (by webhook) that the installation was suspended or removed. */
export type GitHubConnectionState = 'active' | 'suspended' | 'uninstalled';

/** A bot's GitHub connection: one installation of Baton's GitHub App, and the repositories its sessions get. */
export interface GitHubConnection {
  botId: string;
  teamId: string;
  installationId: number;
  /** The GitHub user or organization the app is installed on. */
  account: string;
  state: GitHubConnectionState;
  /** Something an admin should fix (a chosen repository removed from the installation), in words. */
  problem: string | null;
  /** What the installation can reach, as of the last connect, reconnect or webhook. */
  available: GitHubRepository[];
  chosen: ChosenRepository[];
  connectedBy: string;
  connectedAt: Date;
}

/** A repository a session mounts: where it comes from and which branch. */
export interface RepositoryMount {
  fullName: string;
  branch: string | null;
}

/**
 * The repositories one session gets: the channel's own choice for this bot when it has one (set in channel
 * settings), else the bot's defaults. Only repositories the installation can still reach are mounted.
 */
export function resolveSessionRepositories(
  connection: GitHubConnection | undefined,
  channelOverride?: ChosenRepository[] | undefined,
): { installationId: number; repositories: RepositoryMount[] } | undefined {
  if (!connection || connection.state !== 'active') return undefined;
  const reachable = new Set(connection.available.map((r) => r.fullName.toLowerCase()));
  const repositories = (channelOverride ?? connection.chosen).filter((r) => reachable.has(r.fullName.toLowerCase()));
  if (repositories.length === 0) return undefined;
  return { installationId: connection.installationId, repositories };
}

/** Why a connection cannot be used right now, for the bot's settings and list; undefined when it is fine. */
export function connectionProblem(connection: GitHubConnection): string | undefined {
  if (connection.state === 'uninstalled')
    return `The GitHub App was uninstalled from ${connection.account}. Reconnect GitHub to install it again.`;
  if (connection.state === 'suspended')
    return `The GitHub App is suspended on ${connection.account}. An owner of ${connection.account} can unsuspend it in GitHub's settings, or Reconnect GitHub to use another account.`;
  return connection.problem ?? undefined;
}
