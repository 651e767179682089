import type Anthropic from '@anthropic-ai/sdk';
import type { CredentialCreateParams } from '@anthropic-ai/sdk/resources/beta/vaults/credentials';
import type { McpCredential } from '../../ports/claude';
import { isConflict, isNotFound } from './errors';

const ONCE = { maxRetries: 0 } as const;

function authParams(credential: McpCredential): CredentialCreateParams['auth'] {
  if (credential.type === 'static_bearer')
    return { type: 'static_bearer', mcp_server_url: credential.url, token: credential.token };
  const { refresh } = credential;
  return {
    type: 'mcp_oauth',
    mcp_server_url: credential.url,
    access_token: credential.accessToken,
    ...(credential.expiresAt ? { expires_at: credential.expiresAt } : {}),
    ...(refresh
      ? {
          refresh: {
            client_id: refresh.clientId,
            refresh_token: refresh.refreshToken,
            token_endpoint: refresh.tokenEndpoint,
            token_endpoint_auth:
              refresh.authMethod === 'none' || !refresh.clientSecret
                ? { type: 'none' }
                : { type: refresh.authMethod, client_secret: refresh.clientSecret },
            ...(refresh.scope ? { scope: refresh.scope } : {}),
            ...(refresh.resource ? { resource: refresh.resource } : {}),
          },
        }
      : {}),
  };
}

export async function deleteCredential(client: Anthropic, vaultId: string, credentialId: string): Promise<void> {
  try {
    await client.beta.vaults.credentials.delete(credentialId, { vault_id: vaultId });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

export async function pruneCredentials(client: Anthropic, vaultId: string, keep: string[]): Promise<void> {
  const stale: string[] = [];
  for await (const c of client.beta.vaults.credentials.list(vaultId)) if (!keep.includes(c.id)) stale.push(c.id);
  for (const id of stale) await deleteCredential(client, vaultId, id);
}

async function credentialFor(client: Anthropic, vaultId: string, url: string): Promise<string | undefined> {
  for await (const c of client.beta.vaults.credentials.list(vaultId)) {
    if (!c.archived_at && 'mcp_server_url' in c.auth && c.auth.mcp_server_url === url) return c.id;
  }
  return undefined;
}

/**
 * Replaces the vault's credential for the server URL: a vault holds one active credential per URL, and its type
 * and URL cannot change in place, so the old one goes first.
 */
export async function putMcpCredential(
  client: Anthropic,
  vaultId: string,
  credentialId: string | null,
  credential: McpCredential,
): Promise<string> {
  if (credentialId) await deleteCredential(client, vaultId, credentialId);
  const create = () =>
    client.beta.vaults.credentials.create(
      vaultId,
      { display_name: `MCP ${new URL(credential.url).host}`.slice(0, 255), auth: authParams(credential) },
      ONCE,
    );
  try {
    return (await create()).id;
  } catch (error) {
    // A credential for this URL Baton lost track of (a run that died before saving its id): replace it.
    if (!isConflict(error)) throw error;
    const stale = await credentialFor(client, vaultId, credential.url);
    if (!stale) throw error;
    await deleteCredential(client, vaultId, stale);
    return (await create()).id;
  }
}
