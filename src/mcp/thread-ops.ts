import { z } from 'zod';
import type { AgentStatus, Session } from '../domain/sessions';
import { commentKey } from '../sessions/answers';
import { personaOf } from '../sessions/persona';
import { buildTaskContext, type ReadThread } from '../sessions/task-context';
import { ToolError, slackCall } from './errors';
import type { OpContext, OpResult } from './operation';
import { postAsBot, slackMessages } from './post-as-bot';
import { accessibleChannel } from './channel-access';
import { readReplies } from './thread-cache';

export const COMMENT_MAX_CHARS = 12_000;
export const STATUS_REASON_MAX_CHARS = 300;

export const commentText = z
  .string()
  .trim()
  .min(1, 'The comment is empty.')
  .max(
    COMMENT_MAX_CHARS,
    `A comment may be at most ${COMMENT_MAX_CHARS.toLocaleString('en')} characters: post a summary, or several comments.`,
  )
  .describe(`Markdown (shown as Slack formatting), at most ${COMMENT_MAX_CHARS.toLocaleString('en')} characters.`);

export const AGENT_STATUSES = ['in_progress', 'blocked', 'needs_review', 'done'] as const;

/** The reaction on the session's trigger message for each status the agent reports. */
export const STATUS_REACTION: Record<AgentStatus, string> = {
  in_progress: 'eyes',
  blocked: 'warning',
  needs_review: 'mag',
  done: 'white_check_mark',
};

export function sessionOf(ctx: OpContext): Session {
  // Routes only hand session tools to MCP callers, whose session authentication already checked.
  const { session } = ctx.caller;
  if (!session) throw new ToolError('forbidden', 'This operation needs a session token.');
  return session;
}

/** The thread's parent ts; also proves the thread exists and Baton can read it. */
export async function threadParent(ctx: OpContext, channel: string, ts: string): Promise<string> {
  const page = await slackCall(ctx.client.conversations.replies({ channel, ts, limit: 1 }));
  const first = page.messages?.[0];
  if (!first?.ts) throw new ToolError('not_found', 'That thread does not exist or Baton cannot see it.');
  return first.thread_ts ?? first.ts;
}

/**
 * The parent of a thread a REST call names. A session's direct-API token is pinned to its session's thread exactly
 * as its MCP token is; a personal token reaches threads of channels its creator is a member of.
 */
export async function namedThread(ctx: OpContext, channel: string, ts: string): Promise<string> {
  const session = ctx.caller.session;
  const pinned = 'This token belongs to a session and works only in that session’s own thread.';
  if (session && channel !== session.channelId) throw new ToolError('forbidden', pinned);
  if (!session) await accessibleChannel(ctx, channel);
  const parent = await threadParent(ctx, channel, ts);
  if (session && parent !== session.threadTs) throw new ToolError('forbidden', pinned);
  return parent;
}

export async function readThread(ctx: OpContext, channelId: string, threadTs: string): Promise<OpResult> {
  const { caller, client, names, deps } = ctx;
  const session = caller.session;
  // A session's own reads are kept, so its next call asks only for newer replies; any read is bounded per call.
  const readThread: ReadThread = session
    ? (c, channel, ts) => deps.threads.read(session.id, ctx.reads, c, channel, ts)
    : (c, channel, ts) => readReplies(c, channel, ts, ctx.reads);
  const context = await slackCall(
    buildTaskContext(
      { client, guidance: deps.guidance, names, readThread },
      { teamId: caller.team.teamId, channelId, threadTs, bot: caller.bot, session: caller.session },
    ),
  );
  return {
    text: context.text,
    data: {
      channel: channelId,
      thread_ts: threadTs,
      permalink: context.permalink,
      session: caller.session
        ? { id: caller.session.id, status: caller.session.status, agent_status: caller.session.agentStatus }
        : null,
      messages: context.messages,
      is_partial: context.isPartial,
      untrusted: true,
    },
  };
}

/** A reply in the session's own thread, through the writer (posted once per text), formatted like the answers. */
export async function commentInSession(ctx: OpContext, text: string): Promise<OpResult> {
  const session = sessionOf(ctx);
  const { channelId, threadTs } = session;
  const thread = { team: ctx.caller.team, sessionId: session.id, channel: channelId, threadTs };
  const messages = slackMessages(text, ctx.caller.bot.displayName);
  await slackCall(ctx.deps.writer.postMessages(thread, commentKey(text), personaOf(ctx.caller.bot), messages));
  return { text: 'Posted in the thread.', data: { ok: true, channel: channelId, thread_ts: threadTs } };
}

/** A reply in a thread named by the caller (REST): a session's token posts through the session's writer. */
export async function commentInThread(ctx: OpContext, channel: string, ts: string, text: string): Promise<OpResult> {
  const threadTs = await namedThread(ctx, channel, ts);
  if (ctx.caller.session) return commentInSession(ctx, text);
  const posted = await postAsBot(ctx, { channel, text, threadTs });
  return { text: 'Posted in the thread.', data: { ok: true, channel, thread_ts: threadTs, ts: posted ?? null } };
}

/** Stores what the agent reports, marks the trigger message with a reaction, and tells the card. */
export async function reportStatus(ctx: OpContext, status: AgentStatus, reason: string): Promise<OpResult> {
  const session = sessionOf(ctx);
  await ctx.deps.sessions.setAgentStatus(session.id, status, reason);
  const channel = session.channelId;
  const timestamp = session.triggerTs || session.threadTs;
  const previous = session.agentStatus;
  // The reaction is a courtesy: a failure must not make the status report fail.
  const react = async (name: string, isOn: boolean) => {
    await ctx.deps.writer.react(ctx.caller.team, channel, timestamp, name, isOn).catch((error: unknown) => {
      ctx.deps.log.warn({ event: 'tools.reaction_failed', sessionId: session.id, err: error, isOn });
    });
  };
  if (previous && previous !== status) await react(STATUS_REACTION[previous], false);
  await react(STATUS_REACTION[status], true);
  await ctx.deps.notifier.changed(session.id);
  return { text: `Status set to ${status}.`, data: { ok: true, session_id: session.id, status, reason } };
}
