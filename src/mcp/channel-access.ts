import { slackCall, ToolError } from './errors';
import type { OpContext } from './operation';

/**
 * The channel's name when the caller may read and post there, else a ToolError. Baton must be in the channel;
 * the session's own channel is always open to it; any other must be one the person behind the caller (the
 * session's requester, or the token's creator) is a member of, checked with Slack and cached briefly; direct
 * messages other than the session's own are closed. Guests and Slack Connect users get exactly their membership.
 */
export async function accessibleChannel(ctx: OpContext, channel: string): Promise<string> {
  const { caller, deps, client } = ctx;
  ctx.reads.spend(1);
  const info = await slackCall(client.conversations.info({ channel }));
  const found = info.channel;
  if (!found?.is_member && !found?.is_im)
    throw new ToolError('not_found', `Baton is not a member of ${channel}; invite it to the channel first.`);
  const name = found.name ?? channel;
  if (caller.session?.channelId === channel) return name;
  if (found.is_im || found.is_mpim)
    throw new ToolError('forbidden', 'Baton reads and posts in no direct message other than this session’s own.');
  ctx.reads.spend(1);
  if (!(await deps.members.has(client, caller.team.teamId, channel, caller.onBehalfOf))) {
    throw new ToolError(
      'forbidden',
      `The person this ${caller.session ? 'session works for' : 'token belongs to'} is not a member of #${name}, so it stays closed to ${caller.bot.name}.`,
    );
  }
  if (caller.session) await deps.sessions.noteChannelRead(caller.session.id, channel);
  return name;
}

/** Whether the caller may see a session listed in that channel (no error, no Slack call for its own channel). */
export async function maySeeChannel(ctx: OpContext, channel: string): Promise<boolean> {
  const { caller, deps, client } = ctx;
  if (caller.session?.channelId === channel) return true;
  if (channel.startsWith('D')) return false;
  return deps.members.has(client, caller.team.teamId, channel, caller.onBehalfOf).catch(() => false);
}
