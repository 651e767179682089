import type Anthropic from '@anthropic-ai/sdk';
import { anthropicClient, type AnthropicClientOptions } from './client';
import type { SessionCreateParams } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import type { BetaManagedAgentsEventParams } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import {
  ProviderError,
  type AgentProvider,
  type ProviderEvent,
  type StartedSession,
  type StartSessionRequest,
} from '../../ports/agent-provider';
import { withBatonMcp } from './agent-overrides';
import { isNotFound } from './errors';
import { providerCall, toProviderError } from './provider-errors';
import { sessionEvents } from './session-events';

export type ManagedAgentsProviderOptions = AnthropicClientOptions;

const ONCE = { maxRetries: 0 } as const;

/** The sandbox variable that carries a session's short-lived Baton API token (bots with direct API access). */
export const DIRECT_API_SECRET_NAME = 'BATON_API_TOKEN';

/**
 * `AgentProvider` over Claude Managed Agents. Each session gets a vault of its own holding Baton's MCP token, since
 * credentials are fixed when a session is created and matched to MCP servers by URL: a vault shared by the bot
 * could hold only one token for Baton's URL while two of its sessions run. Keys differ per bot, so each call builds
 * its own client.
 */
export class ManagedAgentsProvider implements AgentProvider {
  constructor(private readonly options: ManagedAgentsProviderOptions) {}

  private client(apiKey: string): Anthropic {
    return anthropicClient(this.options, apiKey);
  }

  async start(request: StartSessionRequest): Promise<StartedSession> {
    const { apiKey, connection, mcp } = request;
    const { agentId, environmentId } = connection;
    if (!agentId || !environmentId)
      throw new ProviderError(
        'not_found',
        `${request.botName} has no Claude agent and environment set up yet. Ask a Baton admin to finish its setup.`,
      );
    const client = this.client(apiKey);
    const secrets: [string, string] = [apiKey, mcp.token];
    // Resolved before the vault exists, so a missing agent leaves nothing behind.
    const agent: SessionCreateParams['agent'] =
      connection.mode === 'managed'
        ? agentId
        : withBatonMcp(
            await providerCall(secrets, () => client.beta.agents.retrieve(agentId)),
            mcp.url,
            request.trustedMcpServers,
          );

    const vault = await providerCall(secrets, () =>
      client.beta.vaults.create(
        { display_name: `Baton session ${request.sessionId}`, metadata: { baton_session_id: request.sessionId } },
        ONCE,
      ),
    );
    try {
      await client.beta.vaults.credentials.create(
        vault.id,
        {
          display_name: 'Baton MCP',
          auth: { type: 'static_bearer', mcp_server_url: mcp.url, token: mcp.token },
        },
        ONCE,
      );
      if (request.directApi) {
        // Only a placeholder reaches the sandbox; Anthropic substitutes the token on requests to Baton's host.
        await client.beta.vaults.credentials.create(
          vault.id,
          {
            display_name: 'Baton API',
            auth: {
              type: 'environment_variable',
              secret_name: DIRECT_API_SECRET_NAME,
              secret_value: request.directApi.token,
              networking: { type: 'limited', allowed_hosts: [new URL(request.directApi.url).host] },
            },
          },
          ONCE,
        );
      }
      const session = await client.beta.sessions.create(
        {
          agent,
          environment_id: environmentId,
          vault_ids: [...connection.vaultIds, vault.id],
          title: `${request.botName} · Slack`,
          metadata: { baton_session_id: request.sessionId, baton_bot_id: request.botId },
        },
        ONCE,
      );
      return { providerSessionId: session.id, state: { vaultId: vault.id } };
    } catch (error) {
      // Best effort: the original failure is what the user needs to see.
      await client.beta.vaults.delete(vault.id).catch(() => undefined);
      throw toProviderError(error, secrets);
    }
  }

  private send(apiKey: string, providerSessionId: string, event: BetaManagedAgentsEventParams): Promise<void> {
    const client = this.client(apiKey);
    return providerCall([apiKey], async () => {
      await client.beta.sessions.events.send(providerSessionId, { events: [event] }, ONCE);
    });
  }

  sendMessage(apiKey: string, providerSessionId: string, text: string): Promise<void> {
    return this.send(apiKey, providerSessionId, { type: 'user.message', content: [{ type: 'text', text }] });
  }

  interrupt(apiKey: string, providerSessionId: string): Promise<void> {
    return this.send(apiKey, providerSessionId, { type: 'user.interrupt' });
  }

  confirmTool(
    apiKey: string,
    providerSessionId: string,
    toolUseId: string,
    allow: boolean,
    denyMessage?: string,
  ): Promise<void> {
    return this.send(
      apiKey,
      providerSessionId,
      allow
        ? { type: 'user.tool_confirmation', tool_use_id: toolUseId, result: 'allow' }
        : {
            type: 'user.tool_confirmation',
            tool_use_id: toolUseId,
            result: 'deny',
            ...(denyMessage ? { deny_message: denyMessage } : {}),
          },
    );
  }

  events(
    apiKey: string,
    providerSessionId: string,
    seen: ReadonlySet<string>,
    signal: AbortSignal,
  ): AsyncIterable<ProviderEvent> {
    return sessionEvents(this.client(apiKey), apiKey, providerSessionId, seen, signal);
  }

  async cleanup(apiKey: string, state: Record<string, string>): Promise<void> {
    const vaultId = state['vaultId'];
    if (!vaultId) return;
    const client = this.client(apiKey);
    await providerCall([apiKey], async () => {
      try {
        await client.beta.vaults.delete(vaultId);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
  }
}
