import type Anthropic from '@anthropic-ai/sdk';
import type { SessionCreateParams } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import type { BetaManagedAgentsEventParams } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import type { Bot } from '../../domain/bots';
import type { ClaudeConnection } from '../../domain/claude';
import type { BatonEvent } from '../../domain/events';
import {
  type AgentProvider,
  type EventCursor,
  type ProviderConnection,
  type SessionGitHubToken,
  type StartedSession,
  type StartRequest,
} from '../../ports/agent-provider';
import { withBatonMcp } from './agent-overrides';
import { addGitHubCredential, renewGitHubToken, repositoryResources } from './github-session';
import { anthropicClient, type AnthropicClientOptions } from './client';
import { isNotFound } from './errors';
import { providerCall, toProviderError } from './provider-errors';
import { sessionEvents } from './session-events';

export type ManagedAgentsProviderOptions = AnthropicClientOptions;

/** Where a Claude bot's connection and key come from (the bot stores). */
export interface ClaudeConnectionSource {
  connection(botId: string): Promise<ClaudeConnection | undefined>;
  apiKey(teamId: string, keyId: string): Promise<string | undefined>;
}

const ONCE = { maxRetries: 0 } as const;

/** Anthropic's session budget: list cost in minor units (cents), as a string. */
const budgetOf = (cents: number) =>
  ({ type: 'limit', max_list_cost: { amount: String(cents), currency: 'USD' } }) as const;
/** How far back a resumed start looks for the provider session an earlier attempt may have made. */
const FIND_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The sandbox variable that carries a session's short-lived Baton API token (bots with direct API access). */
export const DIRECT_API_SECRET_NAME = 'BATON_API_TOKEN';

/** `AgentProvider` for Claude bots: opens a bot's Managed Agents connection with its key. */
export class ManagedAgentsProvider implements AgentProvider {
  readonly type = 'claude' as const;

  constructor(
    private readonly options: ManagedAgentsProviderOptions,
    private readonly source: ClaudeConnectionSource,
  ) {}

  async open(teamId: string, bot: Bot): Promise<ProviderConnection | { problem: string }> {
    const connection = await this.source.connection(bot.id);
    const apiKey = connection?.keyId ? await this.source.apiKey(teamId, connection.keyId) : undefined;
    if (!connection || !apiKey) {
      return { problem: `${bot.name} has no API key. Ask an admin to open its Agent connection.` };
    }
    if (!connection.agentId || !connection.environmentId) {
      return { problem: `${bot.name} has no agent or environment yet. Ask an admin to finish its Agent connection.` };
    }
    return new ManagedAgentsConnection(anthropicClient(this.options, apiKey), apiKey, connection);
  }
}

/**
 * One bot's Managed Agents connection. Each session gets a vault of its own holding Baton's MCP token, since
 * credentials are fixed when a session is created and matched to MCP servers by URL: a vault shared by the bot
 * could hold only one token for Baton's URL while two of its sessions run. The task goes in the create call
 * (`initial_events`), so a session that exists has its task, and a resumed start that finds it sends nothing.
 */
export class ManagedAgentsConnection implements ProviderConnection {
  constructor(
    private readonly client: Anthropic,
    private readonly apiKey: string,
    private readonly connection: ClaudeConnection,
  ) {}

  async start(request: StartRequest): Promise<StartedSession> {
    const { client, apiKey, connection } = this;
    const { session, mcp, github } = request;
    // Every credential the request carries, so none can come back in an error message.
    const secrets: [string, ...string[]] = [
      apiKey,
      mcp.token,
      ...(request.directApi ? [request.directApi.token] : []),
      ...(github ? [github.token] : []),
    ];
    const agentId = connection.agentId!;
    const environmentId = connection.environmentId!;
    // Resolved before the vault exists, so a missing agent or environment leaves nothing behind.
    const [agent, environment] = await providerCall(secrets, () =>
      Promise.all([client.beta.agents.retrieve(agentId), client.beta.environments.retrieve(environmentId)]),
    );
    const uses = `Agent: ${agent.name} · Environment: ${environment.name}`;
    // What the card lists as mounted, by name (and branch).
    const mounted: Record<string, string> = github
      ? {
          repositories: github.repositories
            .map((r) => (r.branch ? `${r.fullName} (${r.branch})` : r.fullName))
            .join(', '),
        }
      : {};

    // The admin's vaults (existing agent), or the bot's own vault with its MCP servers' credentials (managed).
    const sharedVaults = [
      ...connection.vaultIds,
      ...(connection.mode === 'managed' && connection.batonVaultId ? [connection.batonVaultId] : []),
    ];
    const found = request.isRetry
      ? await providerCall(secrets, () => this.findSession(session.id, session.createdAt))
      : undefined;
    if (found) {
      const vaultId = found.vault_ids.find((id) => !sharedVaults.includes(id));
      // The earlier attempt's GitHub token was revoked when this one was minted: the session gets the new one.
      if (github) await providerCall(secrets, () => renewGitHubToken(client, found.id, vaultId, github));
      return { providerSessionId: found.id, state: { ...(vaultId ? { vaultId } : {}), uses, ...mounted } };
    }

    // A channel rule that always asks makes every external tool ask in this session, even the agent's trusted ones.
    const isRuled = request.config.mcpServers.source === 'rule';
    const approval = isRuled
      ? { isAlwaysAsk: true as const }
      : { trusted: request.config.mcpServers.value.filter((s) => s.approval === 'trusted').map((s) => s.name) };
    // Baton's own agent declares Baton's MCP server; GitHub's comes per session, with its repositories.
    const sessionAgent =
      connection.mode === 'managed' && !github && !isRuled
        ? agentId
        : (withBatonMcp(
            agent,
            mcp.url,
            approval,
            github ? { url: github.mcpUrl, isTrusted: !isRuled } : undefined,
          ) as SessionCreateParams['agent']);
    const vaultId = await providerCall(secrets, () => this.ownVault(session.id, request));
    try {
      const created = await client.beta.sessions.create(
        {
          agent: sessionAgent,
          environment_id: environmentId,
          vault_ids: [...sharedVaults, vaultId],
          ...(github ? { resources: repositoryResources(github) } : {}),
          title: `${request.bot.name} · Slack`,
          metadata: { baton_session_id: session.id, baton_bot_id: request.bot.id },
          initial_events: [{ type: 'user.message', content: [{ type: 'text', text: request.task }] }],
          // Set at creation, always: Anthropic cannot add a budget to a session made without one.
          budget: budgetOf(request.config.budgetCents.value),
        },
        ONCE,
      );
      return { providerSessionId: created.id, state: { vaultId, uses, ...mounted } };
    } catch (error) {
      // Best effort: the original failure is what the user needs to see.
      await client.beta.vaults.delete(vaultId).catch(() => undefined);
      throw toProviderError(error, secrets);
    }
  }

  /** The provider session an earlier attempt of this Baton session created, if any (by its metadata). */
  private async findSession(batonSessionId: string, since: Date) {
    const after = new Date(since.getTime() - FIND_WINDOW_MS).toISOString();
    for await (const candidate of this.client.beta.sessions.list({ 'created_at[gte]': after, order: 'desc' })) {
      if (candidate.metadata?.['baton_session_id'] === batonSessionId) return candidate;
    }
    return undefined;
  }

  /** This session's own vault with Baton's MCP token (and API token, and GitHub's token), made once: an earlier one is reused. */
  private async ownVault(batonSessionId: string, request: StartRequest): Promise<string> {
    const { client } = this;
    if (request.isRetry) {
      // An earlier attempt's vault holds a token that attempt issued: start over with a fresh one.
      for await (const vault of client.beta.vaults.list()) {
        if (vault.metadata?.['baton_session_id'] === batonSessionId) await client.beta.vaults.delete(vault.id);
      }
    }
    const vault = await client.beta.vaults.create(
      { display_name: `Baton session ${batonSessionId}`, metadata: { baton_session_id: batonSessionId } },
      ONCE,
    );
    try {
      await client.beta.vaults.credentials.create(
        vault.id,
        {
          display_name: 'Baton MCP',
          auth: { type: 'static_bearer', mcp_server_url: request.mcp.url, token: request.mcp.token },
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
      if (request.github) await addGitHubCredential(client, vault.id, request.github);
      return vault.id;
    } catch (error) {
      await client.beta.vaults.delete(vault.id).catch(() => undefined);
      throw error;
    }
  }

  renewGitHubToken(providerSessionId: string, state: Record<string, string>, github: SessionGitHubToken) {
    return providerCall([this.apiKey, github.token], () =>
      renewGitHubToken(this.client, providerSessionId, state['vaultId'], github),
    );
  }

  private sendEvent(providerSessionId: string, event: BetaManagedAgentsEventParams): Promise<void> {
    return providerCall([this.apiKey], async () => {
      await this.client.beta.sessions.events.send(providerSessionId, { events: [event] }, ONCE);
    });
  }

  send(providerSessionId: string, text: string): Promise<void> {
    return this.sendEvent(providerSessionId, { type: 'user.message', content: [{ type: 'text', text }] });
  }

  setBudget(providerSessionId: string, limitCents: number): Promise<void> {
    return providerCall([this.apiKey], async () => {
      await this.client.beta.sessions.update(providerSessionId, { budget: budgetOf(limitCents) }, ONCE);
    });
  }

  interrupt(providerSessionId: string): Promise<void> {
    return this.sendEvent(providerSessionId, { type: 'user.interrupt' });
  }

  confirmTool(providerSessionId: string, stepId: string, isAllowed: boolean, denyMessage?: string): Promise<void> {
    return this.sendEvent(
      providerSessionId,
      isAllowed
        ? { type: 'user.tool_confirmation', tool_use_id: stepId, result: 'allow' }
        : {
            type: 'user.tool_confirmation',
            tool_use_id: stepId,
            result: 'deny',
            ...(denyMessage ? { deny_message: denyMessage } : {}),
          },
    );
  }

  events(providerSessionId: string, from: EventCursor, signal: AbortSignal): AsyncIterable<BatonEvent> {
    return sessionEvents(this.client, this.apiKey, providerSessionId, from.seen, signal);
  }

  async cleanup(providerSessionId: string | null, state: Record<string, string>): Promise<void> {
    const { client } = this;
    await providerCall([this.apiKey], async () => {
      if (providerSessionId) {
        try {
          const { status } = await client.beta.sessions.retrieve(providerSessionId);
          if (status === 'running' || status === 'rescheduling') await this.interrupt(providerSessionId);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      const vaultId = state['vaultId'];
      if (!vaultId) return;
      try {
        await client.beta.vaults.delete(vaultId);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
  }
}
