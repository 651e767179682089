import type { PlainTextOption } from '@slack/types';
import type { NamedResource } from '../domain/claude';
import { AUTH_MODE_LABEL, type McpServer } from '../domain/mcp-servers';
import { anthropicRef, customRef, MAX_SKILLS_PER_SESSION, type Skill } from '../domain/skills';
import { clip, context, escapeMrkdwn, section, type Blocks } from './blocks';
import { button, plainText } from './elements';
import { ACTION, INPUT, VALUE } from './ids';

const option = (text: string, value: string, description?: string): PlainTextOption => ({
  text: plainText(clip(text, 75)),
  value,
  ...(description ? { description: plainText(clip(description, 75)) } : {}),
});

/** One multi-select of Anthropic's built-in skills (as the key lists them) and the workspace's own. */
export function skillsSection(builtin: NamedResource[], workspace: Skill[], selected: string[]): Blocks {
  const builtinOptions = builtin.slice(0, 100).map((s) => option(s.name, anthropicRef(s.id), `Anthropic · ${s.id}`));
  const workspaceOptions = workspace
    .slice(0, 100)
    .map((s) => option(s.title, customRef(s.id), `Workspace · ${s.skillId}`));
  const all = [...builtinOptions, ...workspaceOptions];
  const blocks: Blocks = [section('*Skills*')];
  if (all.length === 0) {
    blocks.push(
      context(
        'No skills to pick yet: validate the key to list Anthropic’s built-in skills, or create workspace skills with `/baton skills`.',
      ),
    );
    return blocks;
  }
  const initial = all.filter((o) => selected.includes(o.value ?? ''));
  const groups = [
    { label: plainText('Anthropic'), options: builtinOptions },
    { label: plainText('Workspace'), options: workspaceOptions },
  ].filter((g) => g.options.length > 0);
  blocks.push({
    type: 'input',
    block_id: INPUT.skills,
    label: plainText('Skills'),
    optional: true,
    hint: plainText(`At most ${MAX_SKILLS_PER_SESSION} skills per session (Anthropic's limit).`),
    element: {
      type: 'multi_static_select',
      action_id: VALUE,
      placeholder: plainText('Choose skills'),
      option_groups: groups,
      max_selected_items: MAX_SKILLS_PER_SESSION,
      ...(initial.length ? { initial_options: initial } : {}),
    },
  });
  return blocks;
}

const STATE_TEXT: Record<McpServer['state'], string> = {
  pending: ':hourglass_flowing_sand: saving…',
  connected: ':white_check_mark: connected',
  needs_login: ':key: needs login',
  failed: ':x: failed',
};

function serverText(server: McpServer): string {
  const auth =
    server.authMode === 'bearer'
      ? `${AUTH_MODE_LABEL.bearer}: ${server.credentialSetAt ? 'set' : 'not set'}`
      : AUTH_MODE_LABEL[server.authMode];
  const state =
    server.state === 'failed' && server.stateDetail
      ? `${STATE_TEXT.failed}: ${escapeMrkdwn(clip(server.stateDetail, 300))}`
      : STATE_TEXT[server.state];
  const trusted = server.isTrusted ? ' · trusted (tools run without asking)' : '';
  return `*${escapeMrkdwn(server.name)}* · ${escapeMrkdwn(server.url)}\n${auth} · ${state}${trusted}`;
}

function serverButtons(server: McpServer) {
  const remove = button('Remove', ACTION.removeMcp, server.id, {
    style: 'danger',
    confirm: {
      title: plainText('Remove MCP server?'),
      text: {
        type: 'mrkdwn',
        text: clip(`Remove *${escapeMrkdwn(server.name)}* and its credential from this bot?`, 300),
      },
      confirm: plainText('Remove'),
      deny: plainText('Cancel'),
      style: 'danger',
    },
  });
  const buttons = [button('Edit', ACTION.editMcp, server.id)];
  if (server.authMode === 'bearer') buttons.push(button('Replace token', ACTION.mcpReplaceToken, server.id));
  if (server.authMode === 'oauth') {
    buttons.push(button(server.credentialId ? 'Reconnect' : 'Log in', ACTION.mcpLogIn, server.id));
    if (server.credentialId)
      buttons.push(
        button('Disconnect', ACTION.mcpDisconnect, server.id, {
          confirm: {
            title: plainText('Disconnect?'),
            text: {
              type: 'plain_text',
              text: clip(`Remove the sign-in for ${server.name} from the bot's vault?`, 300),
            },
            confirm: plainText('Disconnect'),
            deny: plainText('Cancel'),
          },
        }),
      );
    buttons.push(button('Advanced', ACTION.mcpAdvanced, server.id));
  }
  buttons.push(remove);
  return buttons;
}

/** The bot's own MCP servers with their auth state and actions, and Add MCP. */
export function mcpServersSection(botId: string, servers: McpServer[]): Blocks {
  const blocks: Blocks = [section('*Custom MCP servers*')];
  if (servers.length === 0)
    blocks.push(
      context(
        'None yet. Tool calls to these servers ask for approval in the thread unless you mark the server trusted.',
      ),
    );
  for (const server of servers) {
    blocks.push(section(serverText(server)), {
      type: 'actions',
      block_id: `mcp_${server.id}`,
      elements: serverButtons(server),
    });
  }
  blocks.push({ type: 'actions', block_id: 'mcp_actions', elements: [button('Add MCP', ACTION.addMcp, botId)] });
  return blocks;
}
