import type { ModalView, PlainTextOption } from '@slack/types';
import { AUTH_MODE_LABEL, type McpAuthMode, type McpServer } from '../domain/mcp-servers';
import { context, escapeMrkdwn, section, type Blocks } from './blocks';
import { modal, plainInput, plainText } from './elements';
import { ACTION, INPUT, VALUE, VIEW } from './ids';

/** Carried by every MCP modal pushed over the Agent connection modal, which is redrawn after a save. */
export interface McpModalMetadata {
  botId: string;
  serverId?: string;
  parentViewId?: string;
}

const AUTH_HINT: Record<McpAuthMode, string> = {
  none: 'The server needs no credential.',
  bearer: "A token you paste below; kept only in the bot's Claude vault.",
  oauth: 'Sign in with Log in after saving; Anthropic refreshes the token.',
};
const authOption = (mode: McpAuthMode): PlainTextOption => ({
  text: plainText(AUTH_MODE_LABEL[mode]),
  value: mode,
  description: plainText(AUTH_HINT[mode]),
});
const trustedOption: PlainTextOption = {
  text: plainText('Trusted'),
  value: 'trusted',
  description: plainText("Run this server's tools without asking in the thread."),
};

const tokenInput = (label: string, optional: boolean, hint: string) =>
  plainInput(INPUT.mcpToken, label, { optional, maxLength: 3000, hint });

/** Add MCP / Edit: name, URL, auth mode, a bearer token (write-only) and trust. */
export function buildMcpServerModal(meta: McpModalMetadata, server?: McpServer): ModalView {
  const blocks: Blocks = [
    plainInput(INPUT.mcpName, 'Name', {
      initial: server?.name,
      maxLength: 64,
      placeholder: 'linear',
      hint: 'How the agent and the thread name this server: letters, digits, - and _.',
    }),
    plainInput(INPUT.mcpUrl, 'Server URL', {
      initial: server?.url,
      maxLength: 2000,
      placeholder: 'https://mcp.example.com/mcp',
      hint: 'https://, or http:// for localhost.',
    }),
    {
      type: 'input',
      block_id: INPUT.mcpAuth,
      label: plainText('Auth'),
      element: {
        type: 'radio_buttons',
        action_id: VALUE,
        options: (['none', 'bearer', 'oauth'] as const).map(authOption),
        initial_option: authOption(server?.authMode ?? 'none'),
      },
    },
    tokenInput(
      server?.credentialSetAt && server.authMode === 'bearer'
        ? 'Bearer token (set; leave empty to keep it)'
        : 'Bearer token',
      true,
      "Only for Bearer token. Stored in the bot's Claude vault only; Baton never shows it again.",
    ),
    {
      type: 'input',
      block_id: INPUT.mcpTrusted,
      label: plainText('Approvals'),
      optional: true,
      element: {
        type: 'checkboxes',
        action_id: VALUE,
        options: [trustedOption],
        ...(server?.isTrusted ? { initial_options: [trustedOption] } : {}),
      },
    },
  ];
  return modal(VIEW.mcpServer, server ? 'Edit MCP server' : 'Add MCP server', blocks, {
    submit: 'Save',
    privateMetadata: JSON.stringify(meta),
  });
}

export function buildMcpTokenModal(meta: McpModalMetadata, server: McpServer): ModalView {
  return modal(
    VIEW.mcpToken,
    'Replace token',
    [
      section(`New bearer token for *${escapeMrkdwn(server.name)}*.`),
      tokenInput('Bearer token', false, "Replaces the token in the bot's Claude vault. Baton never shows it again."),
    ],
    { submit: 'Replace', privateMetadata: JSON.stringify(meta) },
  );
}

/** For servers without dynamic client registration: paste tokens, or client credentials for Log in. */
export function buildMcpAdvancedModal(meta: McpModalMetadata, server: McpServer): ModalView {
  const secret = (blockId: string, label: string, hint: string) =>
    plainInput(blockId, label, { optional: true, maxLength: 3000, hint });
  return modal(
    VIEW.mcpAdvanced,
    'Advanced sign-in',
    [
      section(`*${escapeMrkdwn(server.name)}*: paste tokens, or the OAuth client Baton should use for Log in.`),
      secret(INPUT.mcpAccessToken, 'Access token', "Goes into the bot's Claude vault as an OAuth credential."),
      secret(INPUT.mcpRefreshToken, 'Refresh token', 'Lets Anthropic renew the access token (needs the client ID).'),
      secret(INPUT.mcpClientId, 'Client ID', 'The OAuth client registered for Baton with this server.'),
      secret(INPUT.mcpClientSecret, 'Client secret', 'Kept encrypted; used only to sign in and refresh.'),
      context('Nothing you paste here is shown again.'),
    ],
    { submit: 'Save', privateMetadata: JSON.stringify(meta) },
  );
}

/** Log in / Reconnect: a personal link to Baton's sign-in page. */
export function buildSignInModal(serverName: string, link: string): ModalView {
  return modal(
    'mcp_sign_in',
    'Log in',
    [
      section(
        `Sign in to *${escapeMrkdwn(serverName)}* on Baton's page. The link is yours alone and expires in 30 minutes.`,
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: plainText(`Open sign-in page`),
            url: link,
            action_id: ACTION.openSignInPage,
            style: 'primary',
          },
        ],
      },
      context('When the page says the bot is connected, come back here; the server list updates.'),
    ],
    { close: 'Done' },
  );
}
