import type { WebClient } from '@slack/web-api';
import type { Session } from '../domain/sessions';
import type { ChannelMembers } from './channel-members';

/** The person pressing a button: their workspace (and, for Slack Connect, the one their account belongs to). */
export interface SessionActor {
  teamId: string;
  enterpriseId?: string | undefined;
  userId: string;
  /** `user.team_id` of the payload: differs from `teamId` for a Slack Connect user of another organisation. */
  userTeamId?: string | undefined;
}

export type Verdict = { isAllowed: true } | { isAllowed: false; reason: string };

interface Admins {
  canConfigure(client: WebClient, teamId: string, userId: string): Promise<boolean>;
}

const ALLOWED: Verdict = { isAllowed: true };

/**
 * Who may act on a session: the one place card buttons (Stop, Retry, approvals, View log and its pages, and any
 * later button) ask. The requester, members of the session's channel and Baton admins, only from the session's own
 * workspace; its log also needs membership of every other channel the session's tools read.
 */
export class SessionAccess {
  constructor(
    private readonly members: ChannelMembers,
    private readonly admins: Admins,
  ) {}

  async mayControl(client: WebClient, session: Session, actor: SessionActor): Promise<Verdict> {
    if (!isSameWorkspace(session, actor))
      return {
        isAllowed: false,
        reason: 'This session belongs to another workspace: only people of that workspace can use its buttons.',
      };
    if (actor.userId === session.requesterId) return ALLOWED;
    if (await this.members.has(client, session.teamId, session.channelId, actor.userId)) return ALLOWED;
    // Someone Slack cannot tell us about (deleted, or of another org) is no admin.
    if (await this.admins.canConfigure(client, session.teamId, actor.userId).catch(() => false)) return ALLOWED;
    return {
      isAllowed: false,
      reason: `Only <@${session.requesterId}>, members of this channel or Baton admins can use this session’s buttons.`,
    };
  }

  async mayReadLog(client: WebClient, session: Session, actor: SessionActor): Promise<Verdict> {
    const verdict = await this.mayControl(client, session, actor);
    if (!verdict.isAllowed) return verdict;
    for (const channel of session.readChannels) {
      if (!(await this.members.has(client, session.teamId, channel, actor.userId))) {
        const name = await channelName(client, channel);
        return {
          isAllowed: false,
          reason: `This session read messages in #${name}, which you are not a member of, so its log stays closed to you.`,
        };
      }
    }
    return ALLOWED;
  }
}

function isSameWorkspace(session: Session, actor: SessionActor): boolean {
  if (actor.teamId !== session.teamId) return false;
  if (!actor.userTeamId || actor.userTeamId === session.teamId) return true;
  // In an Enterprise Grid org, people of the org's other workspaces are not outsiders.
  return Boolean(session.enterpriseId && actor.enterpriseId === session.enterpriseId);
}

async function channelName(client: WebClient, channel: string): Promise<string> {
  const info = await client.conversations.info({ channel }).catch(() => undefined);
  return info?.channel?.name ?? channel;
}
