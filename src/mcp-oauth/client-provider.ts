import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { McpServerRepository } from '../../models/mcp-servers';

/**
 * The MCP SDK's `auth()` drives discovery, dynamic registration, PKCE and the token exchange through this. Baton
 * keeps the client registration (encrypted) and discovery per server, the PKCE verifier per sign-in, and never the
 * tokens: they are captured here and go straight into the bot's Claude vault.
 */
export class SignInClientProvider implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  captured: OAuthTokens | undefined;

  constructor(
    private readonly servers: Pick<
      McpServerRepository,
      'revealOAuthClient' | 'saveOAuthClient' | 'saveDiscovery' | 'discovery' | 'saveCodeVerifier'
    >,
    private readonly serverId: string,
    private readonly callbackUrl: string,
    private readonly signIn: { state: string; codeVerifier?: string | undefined },
  ) {}

  get redirectUrl(): string {
    return this.callbackUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Baton',
      redirect_uris: [this.callbackUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // A public client: Anthropic refreshes with the client id alone, no secret to hand over.
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    return this.signIn.state;
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    return (await this.servers.revealOAuthClient(this.serverId)) as OAuthClientInformationMixed | undefined;
  }

  async saveClientInformation(info: OAuthClientInformationMixed): Promise<void> {
    await this.servers.saveOAuthClient(this.serverId, info as unknown as Record<string, unknown>);
  }

  // Never a stored token: `auth()` would otherwise refresh instead of asking the admin to sign in.
  tokens(): OAuthTokens | undefined {
    return this.captured;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.captured = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  async saveCodeVerifier(verifier: string): Promise<void> {
    await this.servers.saveCodeVerifier(this.signIn.state, verifier);
  }

  codeVerifier(): string {
    if (!this.signIn.codeVerifier) throw new Error('This sign-in has no PKCE verifier; start it again.');
    return this.signIn.codeVerifier;
  }

  async saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    await this.servers.saveDiscovery(this.serverId, state as unknown as Record<string, unknown>);
  }

  async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    return (await this.servers.discovery(this.serverId)) as OAuthDiscoveryState | undefined;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'all' || scope === 'client') await this.servers.saveOAuthClient(this.serverId, null);
    if (scope === 'all' || scope === 'discovery') await this.servers.saveDiscovery(this.serverId, null);
    if (scope === 'all' || scope === 'tokens') this.captured = undefined;
  }
}
