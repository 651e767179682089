/** What to do about each clone failure Managed Agents reports, for the person reading the thread. */
const FIXES: Record<string, string> = {
  repository_authentication_error: "GitHub refused the session's token. An admin can reconnect GitHub for this bot",
  repository_forbidden_error:
    "The GitHub App has no access to it. Add it to the app's installation on GitHub, or reconnect GitHub for this bot",
  repository_not_found_error:
    "GitHub could not find it: it may have been renamed, deleted or removed from the GitHub App. Choose the bot's repositories again",
  repository_checkout_error:
    "Its branch could not be checked out. Check the branch chosen for it in the bot's repositories",
  repository_clone_error: 'Cloning failed. Try again; if it keeps failing, reconnect GitHub for this bot',
};

/** `https://github.com/acme/api.git` → `acme/api`. */
function repositoryName(url: string): string {
  try {
    const parts = new URL(url).pathname
      .replace(/\.git$/, '')
      .split('/')
      .filter(Boolean);
    return parts.slice(-2).join('/') || url;
  } catch {
    return url;
  }
}

/**
 * A `repository_*` error of a `session.error` as Baton words it (the repository by name, what to fix), or undefined
 * for any other error. The session runs on without that repository.
 */
export function repositoryError(error: Record<string, unknown>): { repository: string; message: string } | undefined {
  const type = typeof error.type === 'string' ? error.type : '';
  if (!type.startsWith('repository_')) return undefined;
  const url = typeof error.repository_url === 'string' ? error.repository_url : '';
  const repository = url ? repositoryName(url) : 'a repository';
  const fix = FIXES[type] ?? "Check the repository in the bot's GitHub settings, or reconnect GitHub for this bot";
  return { repository, message: `${repository} could not be mounted, so this session runs without it. ${fix}.` };
}
