import { compareTs, nextTs, SLACK_DEFAULTS } from './ids';
import type { Args } from './http';

/** What `auth.test` says about a token. */
export interface AuthIdentity {
  teamId: string;
  team: string;
  /** The bot user for a bot token, the person for a user token. */
  userId: string;
  botId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  real_name?: string;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  deleted?: boolean;
  tz?: string;
  email?: string;
  team_id?: string;
}

export interface FakeSlackChannel {
  id: string;
  name?: string;
  is_private?: boolean;
  is_im?: boolean;
  /** Whether the bot is in the channel. Private channels it is not in look like they do not exist. */
  is_member?: boolean;
  /** Who `conversations.members` lists; by default every known user that is not deleted. */
  members?: string[];
}

export interface FakeUserGroup {
  id: string;
  name: string;
  handle: string;
  users: string[];
}

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown;
  metadata?: unknown;
  files?: unknown[];
  user?: string;
  bot_id?: string;
  app_id?: string;
  reply_broadcast?: boolean;
}

export interface StoredView {
  id: string;
  hash: string;
  view: Args;
  userId?: string;
  rootViewId: string;
  previousViewId: string | null;
}

export interface StoredFile {
  id: string;
  filename: string;
  length: number;
  title?: string;
  content?: Buffer;
}

export interface SeedData {
  identity: AuthIdentity;
  tokens: Record<string, Partial<AuthIdentity>>;
  users: FakeSlackUser[];
  channels: FakeSlackChannel[];
}

export const DEFAULT_USERS: FakeSlackUser[] = [
  {
    id: SLACK_DEFAULTS.userId,
    name: SLACK_DEFAULTS.userName,
    real_name: 'Ada Lovelace',
    email: 'ada@example.com',
    is_admin: true,
  },
  { id: 'U0002', name: 'bob', real_name: 'Bob Member', email: 'bob@example.com' },
  { id: SLACK_DEFAULTS.botUserId, name: 'baton', real_name: 'Baton', is_bot: true },
];

/** Everything the fake remembers between calls; `reset()` rebuilds it from the seed. */
export class SlackState {
  readonly messages = new Map<string, StoredMessage[]>();
  readonly reactions = new Map<string, Set<string>>();
  readonly views = new Map<string, StoredView>();
  readonly homeViewIds = new Map<string, string>();
  readonly usedTriggers = new Set<string>();
  readonly files = new Map<string, StoredFile>();
  readonly users = new Map<string, FakeSlackUser>();
  readonly channels = new Map<string, FakeSlackChannel>();
  readonly tokens = new Map<string, AuthIdentity>();
  readonly revokedTokens = new Set<string>();
  /** Sessions in Slack's agent surface by `channel thread_ts`: their lifecycle status, title and initiator. */
  readonly agentSessions = new Map<string, { status: string; title?: string; initiator?: string }>();
  /**
   * Assistant status lines by `channel thread_ts`; Slack clears one when the app replies in its thread (the two-minute
   * expiry without a message is not modelled).
   */
  readonly threadStatuses = new Map<string, string>();
  /** Whether the workspace shows apps in Slack's agent surface (`agents.sessions.*` answer only then). */
  hasAgentSurface = false;
  readonly usergroups = new Map<string, FakeUserGroup>();

  constructor(private readonly seed: SeedData) {
    this.reset();
  }

  reset(): void {
    for (const map of [this.messages, this.reactions, this.views, this.homeViewIds, this.files, this.tokens])
      map.clear();
    this.agentSessions.clear();
    this.threadStatuses.clear();
    this.hasAgentSurface = false;
    this.usedTriggers.clear();
    this.revokedTokens.clear();
    this.usergroups.clear();
    this.users.clear();
    this.channels.clear();
    for (const user of this.seed.users) this.users.set(user.id, user);
    for (const channel of this.seed.channels) this.channels.set(channel.id, channel);
    for (const [token, identity] of Object.entries(this.seed.tokens)) this.addToken(token, identity);
  }

  addToken(token: string, identity: Partial<AuthIdentity>): void {
    this.tokens.set(token, { ...this.seed.identity, ...identity });
  }

  identity(token: string | undefined): AuthIdentity {
    return (token && this.tokens.get(token)) || this.seed.identity;
  }

  /** Configured channels as given; any other id looks like a channel the bot is in (D = DM, G = private). */
  channel(id: string): FakeSlackChannel {
    const known = this.channels.get(id);
    if (known) return { is_member: true, ...known };
    const name = id === SLACK_DEFAULTS.channelId ? SLACK_DEFAULTS.channelName : id.toLowerCase();
    return {
      id,
      name,
      is_private: id.startsWith('G') || id.startsWith('D'),
      is_im: id.startsWith('D'),
      is_member: true,
    };
  }

  addMessage(message: Omit<StoredMessage, 'ts'> & { ts?: string }): StoredMessage {
    const stored: StoredMessage = { ...message, ts: message.ts ?? nextTs() };
    const list = this.messages.get(stored.channel) ?? [];
    list.push(stored);
    list.sort((a, b) => compareTs(a.ts, b.ts));
    this.messages.set(stored.channel, list);
    return stored;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }

  deleteMessage(channel: string, ts: string): void {
    const list = this.messages.get(channel) ?? [];
    this.messages.set(
      channel,
      list.filter((m) => m.ts !== ts),
    );
  }

  /** The parent followed by its replies, oldest first. */
  thread(channel: string, threadTs: string): StoredMessage[] {
    return (this.messages.get(channel) ?? []).filter((m) => m.ts === threadTs || m.thread_ts === threadTs);
  }

  /** What the channel itself shows: top-level messages and broadcast replies, oldest first. */
  channelHistory(channel: string): StoredMessage[] {
    return (this.messages.get(channel) ?? []).filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast);
  }

  /** A message as `conversations.history`/`replies` return it. */
  toApiMessage(m: StoredMessage): Args {
    const replies = (this.messages.get(m.channel) ?? []).filter((r) => r.thread_ts === m.ts && r.ts !== m.ts);
    return {
      type: 'message',
      ...(m.bot_id ? { bot_id: m.bot_id, app_id: m.app_id } : {}),
      user: m.user,
      text: m.text ?? '',
      ts: m.ts,
      team: this.seed.identity.teamId,
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      ...(m.thread_ts && m.thread_ts !== m.ts
        ? { parent_user_id: this.findMessage(m.channel, m.thread_ts)?.user }
        : {}),
      ...(replies.length > 0
        ? { thread_ts: m.ts, reply_count: replies.length, latest_reply: replies.at(-1)?.ts, reply_users_count: 1 }
        : {}),
      ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
      ...(m.metadata !== undefined ? { metadata: m.metadata } : {}),
      ...(m.files !== undefined ? { files: m.files } : {}),
    };
  }

  viewByRef(viewId: string | undefined, externalId: string | undefined): StoredView | undefined {
    if (viewId) return this.views.get(viewId);
    return [...this.views.values()].find((v) => externalId !== undefined && v.view.external_id === externalId);
  }
}
