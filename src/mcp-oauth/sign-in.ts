import { auth, discoverOAuthServerInfo, type OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { BotStores } from '../bots/deps';
import type { Logger } from '../log';
import { ClaudeApiError, type ClaudeApi, type McpCredential } from '../ports/claude';
import { SignInClientProvider } from './client-provider';
import type { SignInSigner } from './tickets';

const STATE_TTL_MS = 15 * 60_000;

/** What the browser gets: a redirect to the authorization server, or a page of Baton's. */
export type SignInStep = { redirect: string } | { page: { title: string; text: string; isError: boolean } };

export interface Reconnected {
  teamId: string;
  userId: string;
  botId: string;
  serverName: string;
  sessionId: string;
}

export interface SignInDeps {
  stores: Pick<BotStores, 'bots' | 'connections' | 'keys' | 'mcpServers' | 'audit'>;
  claude: ClaudeApi;
  signer: SignInSigner;
  now: () => Date;
  fetchFn?: FetchLike | undefined;
  /** A sign-in started from a failed session's "Reconnect": offer Retry in its thread. */
  onReconnected: (done: Reconnected) => Promise<void>;
  log: Logger;
}

const fail = (text: string): SignInStep => ({ page: { title: 'Sign-in failed', text, isError: true } });

/** OAuth discovery for a pasted refresh token: the token endpoint of the server's authorization server. */
export async function lookupTokenEndpoint(serverUrl: string, fetchFn?: FetchLike): Promise<string | undefined> {
  const info = await discoverOAuthServerInfo(serverUrl, fetchFn ? { fetchFn } : {});
  return info.authorizationServerMetadata?.token_endpoint;
}

/**
 * Baton's own sign-in page for a bot's OAuth MCP server, run with the MCP SDK's client helpers (discovery of the
 * protected resource and authorization server, dynamic client registration, PKCE). The access and refresh tokens go
 * into the bot's Claude vault as an `mcp_oauth` credential, with the refresh settings Anthropic needs to renew them.
 */
export class McpSignIn {
  constructor(private readonly deps: SignInDeps) {}

  async start(rawTicket: string): Promise<SignInStep> {
    const { stores, signer } = this.deps;
    const ticket = signer.readTicket(rawTicket, this.deps.now().getTime());
    if (!ticket) return fail('This sign-in link is invalid or has expired. Press Log in in Slack again.');
    const server = await stores.mcpServers.get(ticket.botId, ticket.serverId);
    if (!server || server.authMode !== 'oauth') return fail('This MCP server was removed or no longer uses OAuth.');
    const state = signer.newState(ticket.userId, ticket.botId);
    await stores.mcpServers.startOAuth(
      state,
      {
        teamId: ticket.teamId,
        userId: ticket.userId,
        botId: ticket.botId,
        serverId: server.id,
        sessionId: ticket.sessionId ?? null,
      },
      new Date(this.deps.now().getTime() + STATE_TTL_MS),
    );
    const provider = new SignInClientProvider(stores.mcpServers, server.id, signer.callbackUrl, { state });
    try {
      // A fresh discovery each time: the server may have moved its authorization server since.
      await stores.mcpServers.saveDiscovery(server.id, null);
      const result = await auth(provider, { serverUrl: server.url, ...this.fetchOption() });
      const discovery = await stores.mcpServers.discovery(server.id);
      const metadata = (discovery as OAuthDiscoveryState | undefined)?.authorizationServerMetadata;
      // The MCP spec: refuse an authorization server that does not advertise PKCE.
      if (!metadata?.code_challenge_methods_supported?.includes('S256'))
        return fail(
          `${server.name}'s authorization server does not support PKCE, so Baton cannot sign in to it safely.`,
        );
      if (result !== 'REDIRECT' || !provider.authorizationUrl)
        return fail(`${server.name} did not ask for a sign-in. Use Advanced to paste a token instead.`);
      return { redirect: provider.authorizationUrl.href };
    } catch (error) {
      this.deps.log.warn({ event: 'mcp_oauth.start_failed', serverId: server.id, err: error });
      return fail(`Baton could not start the sign-in to ${server.name}: ${describe(error)}`);
    }
  }

  async finish(query: URLSearchParams): Promise<SignInStep> {
    const { stores, signer } = this.deps;
    const state = query.get('state') ?? '';
    const attempt = state ? await stores.mcpServers.takeOAuth(state, this.deps.now()) : undefined;
    if (!attempt || !signer.isStateFor(state, attempt.userId, attempt.botId))
      return fail(
        'This sign-in was already used, has expired, or did not start in Baton. Press Log in in Slack again.',
      );
    const server = await stores.mcpServers.get(attempt.botId, attempt.serverId);
    const bot = await stores.bots.get(attempt.teamId, attempt.botId);
    if (!server || !bot) return fail('This bot or MCP server was removed while you were signing in.');
    const denied = query.get('error');
    if (denied) return fail(`${server.name} did not grant access (${query.get('error_description') ?? denied}).`);
    const code = query.get('code');
    if (!code) return fail(`${server.name} sent no authorization code back.`);
    const connection = await stores.connections.get(bot.id);
    const apiKey = connection?.keyId ? await stores.keys.reveal(attempt.teamId, connection.keyId) : undefined;
    if (!connection?.batonVaultId || apiKey === undefined)
      return fail(`${bot.name} has no Claude vault yet. Save its Agent connection first, then log in again.`);

    const provider = new SignInClientProvider(stores.mcpServers, server.id, signer.callbackUrl, {
      state,
      codeVerifier: attempt.codeVerifier ?? undefined,
    });
    try {
      await auth(provider, { serverUrl: server.url, authorizationCode: code, ...this.fetchOption() });
      if (!provider.captured) return fail(`${server.name} returned no token.`);
      const credential = await this.credential(server.id, server.url, provider.captured);
      const credentialId = await this.deps.claude.putMcpCredential(
        apiKey,
        connection.batonVaultId,
        server.credentialId,
        credential,
      );
      await stores.mcpServers.recordCredential(server.id, credentialId, 'connected');
    } catch (error) {
      this.deps.log.warn({ event: 'mcp_oauth.finish_failed', serverId: server.id, err: error });
      await stores.mcpServers.setState(server.id, 'failed', `Sign-in failed: ${describe(error)}`);
      return fail(`Baton could not finish the sign-in to ${server.name}: ${describe(error)}`);
    }
    await stores.audit.record({
      teamId: attempt.teamId,
      actorId: attempt.userId,
      action: 'mcp.signed_in',
      target: `${bot.name}/${server.name}`,
    });
    if (attempt.sessionId)
      await this.deps.onReconnected({
        teamId: attempt.teamId,
        userId: attempt.userId,
        botId: bot.id,
        serverName: server.name,
        sessionId: attempt.sessionId,
      });
    return {
      page: {
        title: `${bot.name} is connected`,
        text: `${bot.name} is now connected to ${server.name}. You can close this page and go back to Slack.`,
        isError: false,
      },
    };
  }

  private fetchOption() {
    return this.deps.fetchFn ? { fetchFn: this.deps.fetchFn } : {};
  }

  private async credential(serverId: string, url: string, tokens: OAuthTokens): Promise<McpCredential> {
    const { mcpServers } = this.deps.stores;
    const discovery = (await mcpServers.discovery(serverId)) as OAuthDiscoveryState | undefined;
    const client = (await mcpServers.revealOAuthClient(serverId)) ?? {};
    const expiresAt = tokens.expires_in
      ? new Date(this.deps.now().getTime() + tokens.expires_in * 1000).toISOString()
      : undefined;
    const tokenEndpoint = discovery?.authorizationServerMetadata?.token_endpoint;
    const clientId = typeof client['client_id'] === 'string' ? client['client_id'] : undefined;
    const clientSecret = typeof client['client_secret'] === 'string' ? client['client_secret'] : undefined;
    const method = client['token_endpoint_auth_method'];
    const authMethod =
      method === 'client_secret_post' || method === 'client_secret_basic'
        ? method
        : clientSecret
          ? 'client_secret_basic'
          : 'none';
    return {
      type: 'mcp_oauth',
      url,
      accessToken: tokens.access_token,
      expiresAt,
      refresh:
        tokens.refresh_token && tokenEndpoint && clientId
          ? {
              clientId,
              refreshToken: tokens.refresh_token,
              tokenEndpoint,
              authMethod,
              clientSecret,
              scope: tokens.scope,
              resource: discovery?.resourceMetadata?.resource,
            }
          : undefined,
    };
  }
}

function describe(error: unknown): string {
  if (error instanceof ClaudeApiError) return error.message;
  return error instanceof Error ? error.message.slice(0, 300) : 'unknown error';
}
