import { untrusted } from '../sessions/thread-messages';
import { clip } from '../views/blocks';
import { accessibleChannel, maySeeChannel } from './channel-access';
import { slackCall, ToolError } from './errors';
import type { OpContext, OpResult } from './operation';
import { threadParent } from './thread-ops';

const TASK_PREVIEW_CHARS = 200;

// Sessions read to find `limit` the caller may see: hidden ones are skipped, within this bound.
const LIST_SCAN_FACTOR = 4;

/** The calling bot's most recent sessions that the person behind the caller may see, newest first. */
export async function listSessions(ctx: OpContext, limit: number): Promise<OpResult> {
  const recent = await ctx.deps.sessions.listForBot(ctx.caller.bot.id, limit * LIST_SCAN_FACTOR);
  const seen = new Map<string, boolean>();
  const sessions = [];
  for (const s of recent) {
    if (sessions.length >= limit) break;
    if (!seen.has(s.channelId)) seen.set(s.channelId, await maySeeChannel(ctx, s.channelId));
    if (seen.get(s.channelId)) sessions.push(s);
  }
  const rows = sessions.map((s) => ({
    id: s.id,
    status: s.status,
    agent_status: s.agentStatus,
    channel: s.channelId,
    thread_ts: s.threadTs,
    trigger: s.trigger,
    task: clip(s.task, TASK_PREVIEW_CHARS),
    created_at: s.createdAt.toISOString(),
    ended_at: s.endedAt?.toISOString() ?? null,
  }));
  const lines = rows.map(
    (r) => `${r.id} · ${r.status}${r.agent_status ? ` (${r.agent_status})` : ''} · ${r.channel}/${r.thread_ts}`,
  );
  return {
    // Tasks are written by people in Slack.
    text: lines.length > 0 ? untrusted(lines.join('\n')) : `${ctx.caller.bot.name} has no sessions you may see.`,
    data: { sessions: rows, untrusted: true },
  };
}

/**
 * Starts a session of a bot (by name) in a thread Baton is in, on behalf of the person behind the caller, so that
 * agents cannot multiply themselves: a session's tokens (MCP or direct API) only hand work to another bot, the
 * session they start records its parent and may start none itself, and a workspace has at most
 * `maxActiveSessions` unfinished sessions. A personal API token (no session) may start its own bot.
 */
export async function startSession(
  ctx: OpContext,
  input: { botName: string; channel: string; threadTs: string; task: string },
): Promise<OpResult> {
  const { caller, deps } = ctx;
  const parent = caller.session;
  if (parent?.parentSessionId)
    throw new ToolError(
      'forbidden',
      'This session was itself started by another session, so it may not start more: one level only.',
    );
  const bot = await deps.bots.findByName(caller.team.teamId, input.botName);
  if (!bot) throw new ToolError('not_found', `There is no bot named "${input.botName}" in this workspace.`);
  if (bot.id === caller.bot.id && parent)
    throw new ToolError('forbidden', 'start_session starts another bot; this session already is yours.');
  if (bot.status !== 'ready')
    throw new ToolError('forbidden', `${bot.name} is not ready to run sessions (its status is ${bot.status}).`);
  const active = await deps.sessions.countActive(caller.team.teamId);
  if (active >= deps.maxActiveSessions)
    throw new ToolError(
      'rate_limited',
      `This workspace already has ${active} sessions running; the most Baton allows at once is ${deps.maxActiveSessions} sessions. Try again when one has finished.`,
      60,
    );
  await accessibleChannel(ctx, input.channel);
  const threadTs = await threadParent(ctx, input.channel, input.threadTs);
  const { sessionId } = await slackCall(
    deps.launcher.launch({
      teamId: caller.team.teamId,
      enterpriseId: caller.team.enterpriseId,
      botId: bot.id,
      channelId: input.channel,
      threadTs,
      requesterId: caller.onBehalfOf,
      task: input.task,
      parentSessionId: parent?.id,
    }),
  );
  return {
    text: `Started ${bot.name} in ${input.channel}/${threadTs} (session ${sessionId}).`,
    data: { ok: true, session_id: sessionId, bot: bot.name, channel: input.channel, thread_ts: threadTs },
  };
}
