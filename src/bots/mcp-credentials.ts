import { z } from 'zod';
import type { McpServer } from '../domain/mcp-servers';
import type { McpCredential } from '../ports/claude';

const authMethod = z.enum(['none', 'client_secret_basic', 'client_secret_post']);

/** A secret waiting (encrypted) for the sync job to put it into the vault. */
export const pendingSecret = z.discriminatedUnion('type', [
  z.object({ type: z.literal('static_bearer'), token: z.string().min(1) }),
  z.object({
    type: z.literal('mcp_oauth'),
    accessToken: z.string().min(1),
    expiresAt: z.string().optional(),
    refresh: z
      .object({
        clientId: z.string().min(1),
        refreshToken: z.string().min(1),
        // Pasted tokens come without it: the sync job discovers it from the server.
        tokenEndpoint: z.string().optional(),
        authMethod,
        clientSecret: z.string().optional(),
        scope: z.string().optional(),
        resource: z.string().optional(),
      })
      .optional(),
  }),
]);
export type PendingSecret = z.infer<typeof pendingSecret>;

/** Finds the token endpoint of the server's authorization server (OAuth discovery). */
export type TokenEndpointLookup = (serverUrl: string) => Promise<string | undefined>;

/** The vault credential for a server from its pending secret; throws a readable Error when it cannot be built. */
export async function credentialFromPending(
  server: Pick<McpServer, 'url'>,
  raw: string,
  lookupTokenEndpoint: TokenEndpointLookup,
): Promise<McpCredential> {
  const parsed = pendingSecret.parse(JSON.parse(raw));
  if (parsed.type === 'static_bearer') return { type: 'static_bearer', url: server.url, token: parsed.token };
  const { refresh } = parsed;
  if (!refresh)
    return { type: 'mcp_oauth', url: server.url, accessToken: parsed.accessToken, expiresAt: parsed.expiresAt };
  const tokenEndpoint = refresh.tokenEndpoint ?? (await lookupTokenEndpoint(server.url));
  return {
    type: 'mcp_oauth',
    url: server.url,
    accessToken: parsed.accessToken,
    expiresAt: parsed.expiresAt,
    // Without a token endpoint Anthropic cannot refresh; the access token still works until it expires.
    refresh: tokenEndpoint ? { ...refresh, tokenEndpoint } : undefined,
  };
}
