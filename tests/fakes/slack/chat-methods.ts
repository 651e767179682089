import { findMessageViolations } from '../block-kit-limits';
import type { MethodContext, MethodHandler } from './context';
import { type Args, isTrue, optionalString, requireString, SlackApiError } from './http';
import { compareTs, SLACK_DEFAULTS } from './ids';
import type { SlackState, StoredMessage } from './state';

/** Where a post lands: a user id opens (or reuses) the DM; a private channel without the bot does not exist. */
export function postableChannel(state: SlackState, args: Args, key = 'channel'): string {
  const id = requireString(args, key, 'channel_not_found');
  const channelId = /^[UW]/.test(id) ? `D${id.slice(1)}` : id;
  const channel = state.channel(channelId);
  if (channel.is_private && !channel.is_member) throw new SlackApiError('channel_not_found');
  return channelId;
}

function readableChannel(state: SlackState, args: Args, key = 'channel'): string {
  const channelId = postableChannel(state, args, key);
  if (!state.channel(channelId).is_member) throw new SlackApiError('not_in_channel');
  return channelId;
}

function checkContent(args: Args): void {
  if (args.markdown_text !== undefined && (args.text !== undefined || args.blocks !== undefined)) {
    throw new SlackApiError('markdown_text_conflict');
  }
  const violation = findMessageViolations(args);
  if (violation) throw new SlackApiError(violation.error, violation.messages);
}

const textOf = (args: Args): string => optionalString(args, 'text') ?? optionalString(args, 'markdown_text') ?? '';

function botMessage(ctx: MethodContext, channel: string, args: Args): Omit<StoredMessage, 'ts'> {
  const threadTs = optionalString(args, 'thread_ts');
  return {
    channel,
    text: textOf(args),
    user: ctx.identity.userId,
    bot_id: ctx.identity.botId,
    app_id: SLACK_DEFAULTS.appId,
    ...(threadTs ? { thread_ts: threadTs, reply_broadcast: isTrue(args.reply_broadcast) } : {}),
    ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
    ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
  };
}

function ownMessage(ctx: MethodContext, channel: string, ts: string): StoredMessage {
  const message = ctx.state.findMessage(channel, ts);
  if (!message) throw new SlackApiError('message_not_found');
  if (message.user !== ctx.identity.userId) throw new SlackApiError('cant_update_message');
  return message;
}

function tsRange(args: Args): (ts: string) => boolean {
  const oldest = optionalString(args, 'oldest');
  const latest = optionalString(args, 'latest');
  const isInclusive = isTrue(args.inclusive);
  const isAfter = (a: string, b: string) => (isInclusive ? compareTs(a, b) >= 0 : compareTs(a, b) > 0);
  return (ts) => (!oldest || isAfter(ts, oldest)) && (!latest || isAfter(latest, ts));
}

/** Cursor pagination like Slack's: an opaque `next_cursor`, empty on the last page. */
function page(messages: Args[], args: Args, defaultLimit: number): Args {
  const limit = Math.max(1, Number(optionalString(args, 'limit') ?? defaultLimit) || defaultLimit);
  const cursor = optionalString(args, 'cursor');
  const offset = cursor ? Number(/^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString())?.[1] ?? NaN) : 0;
  if (Number.isNaN(offset)) throw new SlackApiError('invalid_cursor');
  const hasMore = offset + limit < messages.length;
  return {
    messages: messages.slice(offset, offset + limit),
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '' },
  };
}

export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage'(args, ctx) {
    const channel = postableChannel(ctx.state, args);
    checkContent(args);
    const message = ctx.state.addMessage(botMessage(ctx, channel, args));
    if (message.thread_ts) ctx.state.threadStatuses.delete(`${channel} ${message.thread_ts}`);
    return { channel, ts: message.ts, message: ctx.state.toApiMessage(message) };
  },

  'chat.update'(args, ctx) {
    const channel = postableChannel(ctx.state, args);
    const message = ownMessage(ctx, channel, requireString(args, 'ts', 'message_not_found'));
    checkContent(args);
    Object.assign(message, { ...botMessage(ctx, channel, args), thread_ts: message.thread_ts });
    return { channel, ts: message.ts, text: message.text, message: ctx.state.toApiMessage(message) };
  },

  'chat.postEphemeral'(args, ctx) {
    postableChannel(ctx.state, args);
    requireString(args, 'user', 'user_not_in_channel');
    checkContent(args);
    return { message_ts: `${Math.floor(Date.now() / 1000)}.000100` };
  },

  'chat.delete'(args, ctx) {
    const channel = postableChannel(ctx.state, args);
    const ts = requireString(args, 'ts', 'message_not_found');
    if (!ctx.state.findMessage(channel, ts)) throw new SlackApiError('message_not_found');
    ctx.state.deleteMessage(channel, ts);
    return { channel, ts };
  },

  'chat.getPermalink'(args, ctx) {
    const channel = postableChannel(ctx.state, args);
    const ts = requireString(args, 'message_ts', 'message_not_found');
    const threadTs = ctx.state.findMessage(channel, ts)?.thread_ts;
    const query = threadTs && threadTs !== ts ? `?thread_ts=${threadTs}&cid=${channel}` : '';
    const permalink = `https://${SLACK_DEFAULTS.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}${query}`;
    return { channel, permalink };
  },

  'reactions.add'(args, ctx) {
    const key = reactionKey(ctx.state, args);
    const name = reactionName(args);
    const names = ctx.state.reactions.get(key) ?? new Set<string>();
    if (names.has(name)) throw new SlackApiError('already_reacted');
    ctx.state.reactions.set(key, names.add(name));
    return {};
  },

  'reactions.remove'(args, ctx) {
    const names = ctx.state.reactions.get(reactionKey(ctx.state, args));
    if (!names?.delete(reactionName(args))) throw new SlackApiError('no_reaction');
    return {};
  },

  'conversations.info'(args, ctx) {
    const channel = ctx.state.channel(postableChannel(ctx.state, args));
    return {
      channel: {
        is_channel: !channel.is_im && !channel.is_private,
        is_group: Boolean(channel.is_private && !channel.is_im),
        is_archived: false,
        created: 1_600_000_000,
        ...channel,
      },
    };
  },

  'conversations.members'(args, ctx) {
    const channel = ctx.state.channel(postableChannel(ctx.state, args));
    const members = channel.members ?? [...ctx.state.users.values()].filter((u) => !u.deleted).map((u) => u.id);
    return { members, response_metadata: { next_cursor: '' } };
  },

  'conversations.replies'(args, ctx) {
    const channel = readableChannel(ctx.state, args);
    const thread = ctx.state.thread(channel, requireString(args, 'ts', 'thread_not_found'));
    if (thread.length === 0) throw new SlackApiError('thread_not_found');
    const inRange = tsRange(args);
    const [parent, ...replies] = thread;
    // The parent always comes first, whatever the range.
    const selected = [parent, ...replies.filter((m) => inRange(m.ts))].filter((m) => m !== undefined);
    return page(
      selected.map((m) => ctx.state.toApiMessage(m)),
      args,
      1000,
    );
  },

  'conversations.history'(args, ctx) {
    const channel = readableChannel(ctx.state, args);
    const inRange = tsRange(args);
    const messages = ctx.state.channelHistory(channel).filter((m) => inRange(m.ts));
    return page(
      messages.reverse().map((m) => ctx.state.toApiMessage(m)),
      args,
      100,
    );
  },

  'assistant.threads.setStatus'(args, ctx) {
    const channel = postableChannel(ctx.state, args, 'channel_id');
    const key = `${channel} ${requireString(args, 'thread_ts')}`;
    if (typeof args.status !== 'string')
      throw new SlackApiError('invalid_arguments', ['[ERROR] missing required field: status']);
    if (args.status) ctx.state.threadStatuses.set(key, args.status);
    else ctx.state.threadStatuses.delete(key);
    return {};
  },

  // No public reference yet (slack-platform.md §8): shaped after @slack/web-api 8.2.0's arguments. A workspace
  // without the agent surface refuses the method, as Slack does for features a plan or app does not have.
  'agents.sessions.setStatus'(args, ctx) {
    if (!ctx.state.hasAgentSurface) throw new SlackApiError('feature_not_enabled');
    const channel = postableChannel(ctx.state, args, 'channel_id');
    const status = requireString(args, 'status', 'invalid_arguments');
    if (!AGENT_SESSION_STATUSES.includes(status)) {
      throw new SlackApiError('invalid_arguments', [
        `[ERROR] status must be one of ${AGENT_SESSION_STATUSES.join(', ')}`,
      ]);
    }
    const threadTs = optionalString(args, 'thread_ts');
    if (!threadTs)
      throw new SlackApiError('invalid_arguments', ['[ERROR] thread_ts is required outside session channels']);
    const key = `${channel} ${threadTs}`;
    const known = ctx.state.agentSessions.get(key);
    const title = known?.title ?? optionalString(args, 'title');
    const initiator = known?.initiator ?? optionalString(args, 'initiator_user_id');
    ctx.state.agentSessions.set(key, { status, ...(title ? { title } : {}), ...(initiator ? { initiator } : {}) });
    return { status, ...(title ? { title } : {}) };
  },
};

const AGENT_SESSION_STATUSES = ['active', 'processing', 'suspended', 'closed'];

function reactionKey(state: SlackState, args: Args): string {
  const channel = postableChannel(state, args);
  return `${channel} ${requireString(args, 'timestamp', 'no_item_specified')}`;
}

function reactionName(args: Args): string {
  const name = requireString(args, 'name', 'invalid_name');
  if (name.includes(':')) throw new SlackApiError('invalid_name');
  return name;
}
