import type Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsGitHubRepositoryResourceParams } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import type { SessionGitHub, SessionGitHubToken } from '../../ports/agent-provider';

const ONCE = { maxRetries: 0 } as const;

/** The repositories as `github_repository` resources, each with the session's token and its branch. */
export const repositoryResources = (github: SessionGitHub): BetaManagedAgentsGitHubRepositoryResourceParams[] =>
  github.repositories.map((repo) => ({
    type: 'github_repository',
    url: repo.url,
    authorization_token: github.token,
    ...(repo.branch ? { checkout: { type: 'branch', name: repo.branch } } : {}),
  }));

/** GitHub's MCP server credential (the session's token) in the session's own vault. */
export async function addGitHubCredential(client: Anthropic, vaultId: string, github: SessionGitHubToken) {
  await client.beta.vaults.credentials.create(
    vaultId,
    { display_name: 'GitHub', auth: { type: 'static_bearer', mcp_server_url: github.mcpUrl, token: github.token } },
    ONCE,
  );
}

/** A renewed token for every mounted repository and for the GitHub MCP credential of the session's vault. */
export async function renewGitHubToken(
  client: Anthropic,
  providerSessionId: string,
  vaultId: string | undefined,
  github: SessionGitHubToken,
): Promise<void> {
  const repositories: string[] = [];
  for await (const resource of client.beta.sessions.resources.list(providerSessionId)) {
    if (resource.type === 'github_repository') repositories.push(resource.id);
  }
  for (const id of repositories) {
    await client.beta.sessions.resources.update(id, {
      session_id: providerSessionId,
      authorization_token: github.token,
    });
  }
  if (!vaultId) return;
  let credentialId: string | undefined;
  for await (const c of client.beta.vaults.credentials.list(vaultId)) {
    if (!c.archived_at && 'mcp_server_url' in c.auth && c.auth.mcp_server_url === github.mcpUrl) credentialId = c.id;
  }
  if (!credentialId) return addGitHubCredential(client, vaultId, github);
  await client.beta.vaults.credentials.update(credentialId, {
    vault_id: vaultId,
    auth: { type: 'static_bearer', token: github.token },
  });
}
