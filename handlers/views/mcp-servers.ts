import { DuplicateMcpNameError } from '../../models/mcp-servers';
import type { PendingSecret } from '../../src/bots/mcp-credentials';
import { checkMcpName, checkMcpUrl, MAX_MCP_SERVERS, type McpAuthMode } from '../../src/domain/mcp-servers';
import { INPUT } from '../../src/views/ids';
import type { McpModalMetadata } from '../../src/views/mcp-modals';
import { buildNoticeModal } from '../../src/views/notice-modal';
import { selectedValue, selectedValues, textValue, type ViewStateValues } from '../../src/views/state';
import { parseMetadata, submittedBot, type Actor, type SubmitArgs } from '../context';
import type { HandlerDeps } from '../deps';
import { afterMcpChange } from '../mcp-common';

const bearer = (token: string): string => JSON.stringify({ type: 'static_bearer', token } satisfies PendingSecret);

/** Reads the metadata and checks the actor; answers undefined (after acking) when the submit cannot go on. */
async function begin(
  deps: HandlerDeps,
  args: SubmitArgs,
): Promise<{ actor: Actor; meta: McpModalMetadata } | undefined> {
  const submitted = await submittedBot(deps, args);
  if (!submitted) return undefined;
  const meta = parseMetadata<McpModalMetadata>(args.view.private_metadata);
  return { actor: submitted.actor, meta: { ...meta, botId: submitted.bot.id } };
}

/** Add MCP / Edit. The token, when given, is stored encrypted only until the sync puts it into the vault. */
export const onMcpServerSubmit =
  (deps: HandlerDeps) =>
  async (args: SubmitArgs): Promise<void> => {
    const started = await begin(deps, args);
    if (!started) return;
    const { actor, meta } = started;
    const values = args.view.state.values as ViewStateValues;
    const name = textValue(values, INPUT.mcpName).trim();
    const url = textValue(values, INPUT.mcpUrl).trim();
    const authMode = (selectedValue(values, INPUT.mcpAuth) ?? 'none') as McpAuthMode;
    const token = textValue(values, INPUT.mcpToken).trim();
    const isTrusted = selectedValues(values, INPUT.mcpTrusted).includes('trusted');
    const existing = meta.serverId ? await deps.stores.mcpServers.get(meta.botId, meta.serverId) : undefined;
    if (meta.serverId && !existing) {
      await args.ack({ response_action: 'update', view: buildNoticeModal('MCP server not found', 'It was removed.') });
      return;
    }
    const errors: Record<string, string> = {};
    const nameError = checkMcpName(name);
    const urlError = checkMcpUrl(url);
    if (nameError) errors[INPUT.mcpName] = nameError;
    if (urlError) errors[INPUT.mcpUrl] = urlError;
    const keepsToken = existing?.authMode === 'bearer' && existing.url === url && existing.credentialSetAt;
    if (authMode === 'bearer' && !token && !keepsToken)
      errors[INPUT.mcpToken] = 'Paste the bearer token for this server.';
    if (authMode !== 'bearer' && token) errors[INPUT.mcpToken] = 'A token is only used with Bearer token auth.';
    if (!existing && (await deps.stores.mcpServers.count(meta.botId)) >= MAX_MCP_SERVERS)
      errors[INPUT.mcpName] = `A bot can have at most ${MAX_MCP_SERVERS} MCP servers of its own.`;
    if (Object.keys(errors).length > 0) return void (await args.ack({ response_action: 'errors', errors }));

    const input = { name, url: new URL(url).href, authMode, isTrusted };
    const secret = authMode === 'bearer' && token ? bearer(token) : undefined;
    try {
      if (existing) await deps.stores.mcpServers.update(meta.botId, existing.id, input, secret);
      else await deps.stores.mcpServers.create(meta.botId, input, secret);
    } catch (error) {
      if (!(error instanceof DuplicateMcpNameError)) throw error;
      await args.ack({
        response_action: 'errors',
        errors: { [INPUT.mcpName]: 'This bot already has a server with this name.' },
      });
      return;
    }
    await args.ack();
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: existing ? 'mcp.edited' : 'mcp.added',
      target: name,
      // Never the token: only whether one was given.
      details: { botId: meta.botId, url: input.url, authMode, isTrusted, hasNewToken: Boolean(secret) },
    });
    await afterMcpChange(deps, args.client, actor, meta.botId, meta.parentViewId);
  };

export const onMcpTokenSubmit =
  (deps: HandlerDeps) =>
  async (args: SubmitArgs): Promise<void> => {
    const started = await begin(deps, args);
    if (!started) return;
    const { actor, meta } = started;
    const token = textValue(args.view.state.values as ViewStateValues, INPUT.mcpToken).trim();
    const server = meta.serverId ? await deps.stores.mcpServers.get(meta.botId, meta.serverId) : undefined;
    if (!server)
      return void (await args.ack({
        response_action: 'update',
        view: buildNoticeModal('MCP server not found', 'It was removed.'),
      }));
    if (!token)
      return void (await args.ack({ response_action: 'errors', errors: { [INPUT.mcpToken]: 'Paste the new token.' } }));
    await deps.stores.mcpServers.setPendingSecret(server.id, bearer(token));
    await args.ack();
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'mcp.token_replaced',
      target: server.name,
      details: { botId: meta.botId },
    });
    await afterMcpChange(deps, args.client, actor, meta.botId, meta.parentViewId);
  };

/** Advanced: pasted OAuth tokens go to the vault through the sync; client credentials are kept (encrypted) for Log in. */
export const onMcpAdvancedSubmit =
  (deps: HandlerDeps) =>
  async (args: SubmitArgs): Promise<void> => {
    const started = await begin(deps, args);
    if (!started) return;
    const { actor, meta } = started;
    const values = args.view.state.values as ViewStateValues;
    const [accessToken, refreshToken, clientId, clientSecret] = [
      INPUT.mcpAccessToken,
      INPUT.mcpRefreshToken,
      INPUT.mcpClientId,
      INPUT.mcpClientSecret,
    ].map((block) => textValue(values, block).trim()) as [string, string, string, string];
    const server = meta.serverId ? await deps.stores.mcpServers.get(meta.botId, meta.serverId) : undefined;
    if (!server)
      return void (await args.ack({
        response_action: 'update',
        view: buildNoticeModal('MCP server not found', 'It was removed.'),
      }));
    const errors: Record<string, string> = {};
    if (!accessToken && !clientId) errors[INPUT.mcpAccessToken] = 'Paste an access token, or a client ID for Log in.';
    if (refreshToken && !accessToken) errors[INPUT.mcpAccessToken] = 'A refresh token needs its access token.';
    if (refreshToken && !clientId) errors[INPUT.mcpClientId] = 'Anthropic needs the client ID to refresh the token.';
    if (clientSecret && !clientId) errors[INPUT.mcpClientId] = 'Give the client ID that goes with this secret.';
    if (Object.keys(errors).length > 0) return void (await args.ack({ response_action: 'errors', errors }));

    if (clientId) {
      const method = clientSecret ? 'client_secret_basic' : 'none';
      await deps.stores.mcpServers.saveOAuthClient(server.id, {
        client_id: clientId,
        ...(clientSecret ? { client_secret: clientSecret } : {}),
        token_endpoint_auth_method: method,
        redirect_uris: [],
      });
    }
    if (accessToken) {
      const pending: PendingSecret = {
        type: 'mcp_oauth',
        accessToken,
        ...(refreshToken
          ? {
              refresh: {
                clientId,
                refreshToken,
                authMethod: clientSecret ? 'client_secret_basic' : 'none',
                ...(clientSecret ? { clientSecret } : {}),
              },
            }
          : {}),
      };
      await deps.stores.mcpServers.setPendingSecret(server.id, JSON.stringify(pending));
    }
    await args.ack();
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'mcp.advanced_saved',
      target: server.name,
      details: { botId: meta.botId, hasTokens: Boolean(accessToken), hasClient: Boolean(clientId) },
    });
    await afterMcpChange(deps, args.client, actor, meta.botId, meta.parentViewId);
  };
