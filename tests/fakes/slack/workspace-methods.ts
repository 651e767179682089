import { isObject } from '../block-kit-checker';
import { findBlockKitViolations } from '../block-kit-limits';
import { postableChannel } from './chat-methods';
import type { MethodContext, MethodHandler } from './context';
import { type Args, optionalString, requireString, SlackApiError } from './http';
import { nextId, SLACK_DEFAULTS } from './ids';
import type { FakeSlackUser, SlackState } from './state';

/** The default `oauth.v2.access`: any non-empty code installs the default workspace with a fresh bot token. */
export function defaultOAuthAccess(args: Args, state: SlackState): Args {
  if (!optionalString(args, 'code')) throw new SlackApiError('invalid_code');
  const identity = state.identity(undefined);
  return {
    access_token: `xoxb-installed-${identity.teamId}-${nextId('')}`,
    token_type: 'bot',
    scope: 'app_mentions:read,chat:write,commands',
    bot_user_id: identity.userId,
    app_id: SLACK_DEFAULTS.appId,
    team: { id: identity.teamId, name: identity.team },
    enterprise: null,
    is_enterprise_install: false,
    authed_user: { id: SLACK_DEFAULTS.userId },
  };
}

function userObject(user: FakeSlackUser, teamId: string): Args {
  const realName = user.real_name ?? user.name;
  return {
    id: user.id,
    team_id: user.team_id ?? teamId,
    name: user.name,
    deleted: user.deleted ?? false,
    real_name: realName,
    tz: user.tz ?? 'Europe/London',
    tz_offset: 0,
    is_admin: user.is_admin ?? false,
    is_owner: user.is_owner ?? false,
    is_primary_owner: false,
    is_bot: user.is_bot ?? false,
    is_app_user: false,
    updated: 1_600_000_000,
    profile: {
      real_name: realName,
      display_name: user.name,
      ...(user.email ? { email: user.email } : {}),
      image_48: `https://avatars.example.com/${user.id}_48.png`,
      team: user.team_id ?? teamId,
    },
  };
}

function fileObject(ctx: MethodContext, id: string, title: unknown): Args {
  const file = ctx.state.files.get(id);
  if (!file?.content) throw new SlackApiError('file_not_found');
  if (typeof title === 'string') file.title = title;
  return {
    id,
    created: Math.floor(Date.now() / 1000),
    name: file.filename,
    title: file.title ?? file.filename,
    mimetype: 'text/plain',
    filetype: 'text',
    user: ctx.identity.userId,
    size: file.content.length,
    url_private: `${ctx.origin}/files/${id}/${encodeURIComponent(file.filename)}`,
    permalink: `https://${SLACK_DEFAULTS.teamDomain}.slack.com/files/${ctx.identity.userId}/${id}`,
  };
}

export const workspaceMethods: Record<string, MethodHandler> = {
  'auth.test'(_args, { identity }) {
    return {
      url: `https://${SLACK_DEFAULTS.teamDomain}.slack.com/`,
      team: identity.team,
      user: identity.botId ? 'baton' : 'user',
      team_id: identity.teamId,
      user_id: identity.userId,
      ...(identity.botId ? { bot_id: identity.botId } : {}),
      ...(identity.enterpriseId ? { enterprise_id: identity.enterpriseId } : {}),
      is_enterprise_install: identity.isEnterpriseInstall ?? false,
    };
  },

  'usergroups.list'(_args, ctx) {
    const usergroups = [...ctx.state.usergroups.values()].map((g) => ({
      id: g.id,
      team_id: ctx.identity.teamId,
      name: g.name,
      handle: g.handle,
      user_count: g.users.length,
    }));
    return { usergroups };
  },

  'usergroups.users.list'(args, ctx) {
    const group = ctx.state.usergroups.get(requireString(args, 'usergroup', 'no_such_subteam'));
    if (!group) throw new SlackApiError('no_such_subteam');
    return { users: group.users };
  },

  'users.info'(args, ctx) {
    const user = ctx.state.users.get(requireString(args, 'user', 'user_not_found'));
    if (!user) throw new SlackApiError('user_not_found');
    return { user: userObject(user, ctx.identity.teamId) };
  },

  // The channels the bot is in: those configured, and any that has messages (unknown ids count as joined).
  'users.conversations'(args, ctx) {
    const types = (optionalString(args, 'types') ?? 'public_channel').split(',');
    const ids = new Set([...ctx.state.channels.keys(), ...ctx.state.messages.keys()]);
    const channels = [...ids]
      .map((id) => ctx.state.channel(id))
      .filter((c) => c.is_member)
      .filter((c) => types.includes(c.is_im ? 'im' : c.is_private ? 'private_channel' : 'public_channel'))
      .map((c) => ({ id: c.id, name: c.name, is_private: Boolean(c.is_private), is_im: Boolean(c.is_im) }));
    return { channels, response_metadata: { next_cursor: '' } };
  },

  'oauth.v2.access'(args, ctx) {
    const result = ctx.oauthAccess(args, ctx.state);
    const team = isObject(result.team) ? result.team : undefined;
    // So the `auth.test` Bolt runs with the new token describes the workspace that was just installed.
    if (typeof result.access_token === 'string' && typeof team?.id === 'string') {
      ctx.state.addToken(result.access_token, {
        teamId: team.id,
        team: typeof team.name === 'string' ? team.name : team.id,
        userId: typeof result.bot_user_id === 'string' ? result.bot_user_id : SLACK_DEFAULTS.botUserId,
        botId: SLACK_DEFAULTS.botId,
      });
    }
    return result;
  },

  'apps.connections.open'(_args, ctx) {
    if (!ctx.token?.startsWith('xapp-')) throw new SlackApiError('not_allowed_token_type');
    return { url: ctx.socketModeUrl };
  },

  'files.getUploadURLExternal'(args, ctx) {
    const filename = requireString(args, 'filename');
    const length = Number(requireString(args, 'length'));
    if (!Number.isInteger(length) || length < 0) throw new SlackApiError('invalid_arguments', ['[ERROR] bad length']);
    const id = nextId('F');
    ctx.state.files.set(id, { id, filename, length });
    return { upload_url: `${ctx.origin}/upload/${id}`, file_id: id };
  },

  'files.completeUploadExternal'(args, ctx) {
    if (!Array.isArray(args.files) || args.files.length === 0) {
      throw new SlackApiError('invalid_arguments', ['[ERROR] missing required field: files']);
    }
    const files = args.files.map((f: unknown) => (isObject(f) ? fileObject(ctx, String(f.id), f.title) : {}));
    if (args.blocks !== undefined) {
      const violations = findBlockKitViolations(args.blocks, 'message');
      if (violations.length > 0) throw new SlackApiError('invalid_blocks', violations);
    }
    if (optionalString(args, 'channel_id')) {
      const channel = postableChannel(ctx.state, args, 'channel_id');
      const threadTs = optionalString(args, 'thread_ts');
      ctx.state.addMessage({
        channel,
        text: optionalString(args, 'initial_comment') ?? '',
        user: ctx.identity.userId,
        bot_id: ctx.identity.botId,
        app_id: SLACK_DEFAULTS.appId,
        files,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
      });
    }
    return { files };
  },
};
