import { z } from 'zod';
import { defineOperation } from '../mcp/operation';
import { listSessions, startSession } from '../mcp/session-ops';
import { commentInThread, commentText, namedThread, readThread } from '../mcp/thread-ops';
import { channelArg, tsArg } from '../mcp/tools';
import { channelHistory, lookupUser, postMessage, SEARCH_CHANNELS_MAX, searchMessages } from '../mcp/workspace-ops';

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const channelList = z
  .string()
  .transform((value) => value.split(',').filter(Boolean))
  .pipe(z.array(channelArg).max(SEARCH_CHANNELS_MAX));

/**
 * The REST API's operations: the MCP tools minus the session-bound one (update_status), with the thread given
 * explicitly. They share the MCP tools' code, rate limit and audit trail (`api.<name>`).
 */
export const API_OPERATIONS = {
  threadContext: defineOperation({
    name: 'thread_context',
    mode: 'basic',
    input: z.object({ channel: channelArg, ts: tsArg }),
    run: async (ctx, { channel, ts }) => readThread(ctx, channel, await namedThread(ctx, channel, ts)),
  }),
  postComment: defineOperation({
    name: 'post_comment',
    mode: 'basic',
    input: z.object({ channel: channelArg, ts: tsArg, text: commentText }),
    run: (ctx, { channel, ts, text }) => commentInThread(ctx, channel, ts, text),
  }),
  channelHistory: defineOperation({
    name: 'channel_history',
    mode: 'full',
    input: z.object({ channel: channelArg, limit: limit(100, 20) }),
    run: (ctx, { channel, limit: count }) => channelHistory(ctx, channel, count),
  }),
  searchMessages: defineOperation({
    name: 'search_messages',
    mode: 'full',
    input: z.object({
      query: z.string().trim().min(1).max(200),
      channels: channelList.optional(),
      limit: limit(50, 20),
    }),
    run: (ctx, { query, channels, limit: count }) => searchMessages(ctx, query, { channels, limit: count }),
  }),
  postMessage: defineOperation({
    name: 'post_message',
    mode: 'full',
    input: z.object({ channel: channelArg, text: commentText, thread_ts: tsArg.optional() }),
    run: (ctx, { channel, text, thread_ts }) => postMessage(ctx, { channel, text, threadTs: thread_ts }),
  }),
  lookupUser: defineOperation({
    name: 'lookup_user',
    mode: 'full',
    input: z.object({ id: z.string().trim().min(2).max(40) }),
    run: (ctx, { id }) => lookupUser(ctx, id),
  }),
  listSessions: defineOperation({
    name: 'list_sessions',
    mode: 'full',
    input: z.object({ limit: limit(50, 10) }),
    run: (ctx, { limit: count }) => listSessions(ctx, count),
  }),
  startSession: defineOperation({
    name: 'start_session',
    mode: 'full',
    input: z.object({
      botName: z.string().trim().min(1).max(80).optional(),
      channel: channelArg,
      thread_ts: tsArg,
      task: z.string().trim().min(1).max(4_000),
    }),
    // A bot's personal API token may start that bot (an admin made it for exactly this); a session's may not.
    run: (ctx, { botName, channel, thread_ts, task }) =>
      startSession(ctx, { botName: botName ?? ctx.caller.bot.name, channel, threadTs: thread_ts, task }),
  }),
};
