import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { McpServer } from '../../src/domain/mcp-servers';
import { MAX_MCP_SERVERS } from '../../src/domain/mcp-servers';
import type { ConnectionMetadata } from '../../src/views/connection-modal';
import {
  buildMcpAdvancedModal,
  buildMcpServerModal,
  buildMcpTokenModal,
  buildSignInModal,
  type McpModalMetadata,
} from '../../src/views/mcp-modals';
import { buildNoticeModal } from '../../src/views/notice-modal';
import { escapeMrkdwn } from '../../src/views/blocks';
import { ACTION } from '../../src/views/ids';
import { actorOf, mayConfigure, mayConfigureHere, parseMetadata, type Actor } from '../context';
import type { HandlerDeps } from '../deps';
import { afterMcpChange } from '../mcp-common';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const gone = buildNoticeModal('MCP server not found', 'This MCP server was removed.');

/** Buttons on a server row of the Agent connection modal: the bot comes from the modal, the server from the button. */
function serverAction(
  deps: HandlerDeps,
  next: (args: ButtonArgs, actor: Actor, server: McpServer, meta: McpModalMetadata) => Promise<void>,
) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, client, context, action } = args;
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigure(deps, client, actor, body.trigger_id))) return;
    const botId = parseMetadata<ConnectionMetadata>(body.view?.private_metadata).botId ?? '';
    const bot = await deps.stores.bots.get(actor.teamId, botId);
    const server = bot ? await deps.stores.mcpServers.get(bot.id, action.value ?? '') : undefined;
    if (!server) {
      await client.views.push({ trigger_id: body.trigger_id, view: gone });
      return;
    }
    await next(args, actor, server, { botId, serverId: server.id, parentViewId: body.view?.id });
  };
}

export const onAddMcp =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigure(deps, client, actor, body.trigger_id))) return;
    const bot = await deps.stores.bots.get(actor.teamId, action.value ?? '');
    if (!bot) return void (await client.views.push({ trigger_id: body.trigger_id, view: gone }));
    const view =
      (await deps.stores.mcpServers.count(bot.id)) >= MAX_MCP_SERVERS
        ? buildNoticeModal('Too many servers', `A bot can have at most ${MAX_MCP_SERVERS} MCP servers of its own.`)
        : buildMcpServerModal({ botId: bot.id, parentViewId: body.view?.id });
    await client.views.push({ trigger_id: body.trigger_id, view });
  };

export const onEditMcp = (deps: HandlerDeps) =>
  serverAction(deps, async ({ body, client }, _actor, server, meta) => {
    await client.views.push({ trigger_id: body.trigger_id, view: buildMcpServerModal(meta, server) });
  });

export const onReplaceMcpToken = (deps: HandlerDeps) =>
  serverAction(deps, async ({ body, client }, _actor, server, meta) => {
    await client.views.push({ trigger_id: body.trigger_id, view: buildMcpTokenModal(meta, server) });
  });

export const onMcpAdvanced = (deps: HandlerDeps) =>
  serverAction(deps, async ({ body, client }, _actor, server, meta) => {
    await client.views.push({ trigger_id: body.trigger_id, view: buildMcpAdvancedModal(meta, server) });
  });

export const onMcpLogIn = (deps: HandlerDeps) =>
  serverAction(deps, async ({ body, client }, actor, server, meta) => {
    const link = deps.signInLinks.linkFor({
      teamId: actor.teamId,
      userId: actor.userId,
      botId: meta.botId,
      serverId: server.id,
    });
    await client.views.push({ trigger_id: body.trigger_id, view: buildSignInModal(server.name, link) });
  });

/** Confirmed in Slack's dialog; the sync removes the credential from the vault. */
export const onRemoveMcp = (deps: HandlerDeps) =>
  serverAction(deps, async ({ client }, actor, server, meta) => {
    await deps.stores.mcpServers.remove(meta.botId, server.id);
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'mcp.removed',
      target: server.name,
      details: { botId: meta.botId, url: server.url },
    });
    await afterMcpChange(deps, client, actor, meta.botId, meta.parentViewId);
  });

export const onDisconnectMcp = (deps: HandlerDeps) =>
  serverAction(deps, async ({ client }, actor, server, meta) => {
    await deps.stores.mcpServers.recordCredential(server.id, null, 'needs_login');
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'mcp.disconnected',
      target: server.name,
      details: { botId: meta.botId },
    });
    await afterMcpChange(deps, client, actor, meta.botId, meta.parentViewId);
  });

/** The URL button opens the page in the browser; Slack still sends the click, which needs only an ack. */
export const onOpenSignInPage =
  () =>
  async ({ ack }: ButtonArgs) => {
    await ack();
  };

/**
 * "Reconnect <server>" under a failed session's note: admins get a personal sign-in link (the note is public);
 * after signing in, Baton offers Retry in the thread.
 */
export const onReconnectMcp =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    if (!(await mayConfigureHere(deps, client, actor, respond))) return;
    const [sessionId = '', serverId = ''] = (action.value ?? '').split('|');
    const session = await deps.sessions.get(sessionId);
    const server =
      session?.teamId === actor.teamId ? await deps.stores.mcpServers.get(session.botId, serverId) : undefined;
    if (!session || !server) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'This MCP server was removed from the bot.',
      });
      return;
    }
    const link = deps.signInLinks.linkFor({
      teamId: actor.teamId,
      userId: actor.userId,
      botId: session.botId,
      serverId: server.id,
      sessionId: session.id,
    });
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: `Sign in to ${server.name}: ${link}`,
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `Sign in to *${escapeMrkdwn(server.name)}* for this bot. The link is yours alone and expires in 30 minutes; Baton offers *Retry* here afterwards.`,
          },
          accessory: {
            type: 'button',
            text: { type: 'plain_text', text: 'Open sign-in page' },
            url: link,
            action_id: ACTION.openSignInPage,
          },
        },
      ],
    });
  };
