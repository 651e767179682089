import { clip } from '../views/blocks';
import { slackCall, ToolError } from './errors';
import type { OpContext, OpResult } from './operation';
import { threadParent } from './thread-ops';
import { memberChannel } from './workspace-ops';

const TASK_PREVIEW_CHARS = 200;

/** The calling bot's most recent sessions, newest first. */
export async function listSessions(ctx: OpContext, limit: number): Promise<OpResult> {
  const sessions = await ctx.deps.sessions.listForBot(ctx.caller.bot.id, limit);
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
    text: lines.length > 0 ? lines.join('\n') : `${ctx.caller.bot.name} has no sessions yet.`,
    data: { sessions: rows },
  };
}

/**
 * Starts a session of a bot (by name) in a thread Baton is in, on behalf of the person behind the caller. An MCP
 * session may only hand work to another bot, so an agent cannot multiply itself.
 */
export async function startSession(
  ctx: OpContext,
  input: { botName: string; channel: string; threadTs: string; task: string },
  options: { mayStartItself: boolean },
): Promise<OpResult> {
  const { caller, deps } = ctx;
  const bot = await deps.bots.findByName(caller.team.teamId, input.botName);
  if (!bot) throw new ToolError('not_found', `There is no bot named "${input.botName}" in this workspace.`);
  if (bot.id === caller.bot.id && !options.mayStartItself)
    throw new ToolError('forbidden', 'start_session starts another bot; this session already is yours.');
  if (bot.status !== 'ready')
    throw new ToolError('forbidden', `${bot.name} is not ready to run sessions (its status is ${bot.status}).`);
  await memberChannel(ctx, input.channel);
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
    }),
  );
  return {
    text: `Started ${bot.name} in ${input.channel}/${threadTs} (session ${sessionId}).`,
    data: { ok: true, session_id: sessionId, bot: bot.name, channel: input.channel, thread_ts: threadTs },
  };
}
