import type { WebClient } from '@slack/web-api';
import type { AccessPolicy } from '../access';
import type { Session } from '../domain/sessions';
import type { ConfigSources } from '../ports/settings';
import type { SlackClients } from '../ports/slack-clients';
import type { ChannelMembers } from '../sessions/channel-members';
import { loadSessionConfig } from '../sessions/session-config';
import type { PageHeader } from './session-html';
import type { Approvers } from './timeline';

const CACHE_TTL_MS = 60_000;

/** A small time-limited cache of names: Slack lookups on every live tick would spend its rate limits. */
class TtlCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  constructor(private readonly now: () => number) {}
  async get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    const value = await load();
    this.entries.set(key, { value, expiresAt: this.now() + CACHE_TTL_MS });
    return value;
  }
}

/** Who may see a session's page (members of its channel and Baton admins), and its header by names. */
export class SessionViewers {
  private readonly names: TtlCache<string>;

  constructor(
    private readonly deps: {
      slack: SlackClients;
      access: AccessPolicy;
      settings: ConfigSources;
      members: Pick<ChannelMembers, 'has'>;
      audit: {
        approvals(
          teamId: string,
          sessionId: string,
        ): Promise<Array<{ stepId: string; userId: string; isTimeout: boolean }>>;
      };
    },
    now: () => number = Date.now,
  ) {
    this.names = new TtlCache(now);
  }

  private client(session: Session): Promise<WebClient> {
    return this.deps.slack.forTeam({ teamId: session.teamId, enterpriseId: session.enterpriseId ?? undefined });
  }

  async canView(session: Session, userId: string): Promise<boolean> {
    const client = await this.client(session);
    if (await this.deps.members.has(client, session.teamId, session.channelId, userId)) return true;
    return this.deps.access.canConfigure(client, session.teamId, userId);
  }

  private async userName(client: WebClient, teamId: string, userId: string): Promise<string> {
    return this.names.get(`u/${teamId}/${userId}`, async () => {
      const { user } = await client.users.info({ user: userId }).catch(() => ({ user: undefined }));
      return user?.profile?.display_name || user?.real_name || user?.name || 'someone';
    });
  }

  /** Who answered each approval of the session, by name. */
  async approvers(session: Session): Promise<Approvers> {
    const answers = await this.deps.audit.approvals(session.teamId, session.id);
    if (answers.length === 0) return new Map();
    const client = await this.client(session);
    const named = await Promise.all(
      answers.map(
        async (a) =>
          [a.stepId, { name: await this.userName(client, session.teamId, a.userId), isTimeout: a.isTimeout }] as const,
      ),
    );
    return new Map(named);
  }

  async header(session: Session): Promise<PageHeader> {
    const client = await this.client(session);
    const requesterName = await this.userName(client, session.teamId, session.requesterId);
    const channelName = await this.names.get(`c/${session.teamId}/${session.channelId}`, async () => {
      const { channel } = await client.conversations
        .info({ channel: session.channelId })
        .catch(() => ({ channel: undefined }));
      if (channel?.is_im) return 'a direct message';
      return channel?.name ? `#${channel.name}` : 'a private channel';
    });
    const key = { teamId: session.teamId, enterpriseId: session.enterpriseId, channelId: session.channelId };
    const resolution = await loadSessionConfig(this.deps.settings, key, session.botId);
    const bot = await this.deps.settings.bots.get(session.teamId, session.botId);
    return {
      session,
      botName: bot?.displayName ?? 'A deleted bot',
      requesterName,
      channelName,
      model: resolution.ok ? (resolution.config.model.value?.name ?? null) : null,
      repositories: resolution.ok ? resolution.config.repositories.value.map((r) => r.fullName) : [],
    };
  }
}
