import type { AccessTokenRepository } from '../../models/access-tokens';
import type { BotRepository } from '../../models/bots';
import type { SessionRepository } from '../../models/sessions';
import type { IssuedCredentials } from '../api/runtime-credentials';
import type { Bot } from '../domain/bots';
import type { Session } from '../domain/sessions';
import type { Logger } from '../log';
import type { RuntimeInbox } from '../ports/runtime';
import type { SessionLauncher, SessionNotifier } from '../ports/sessions';
import type { SlackClients } from '../ports/slack-clients';
import type { AuditTrail } from '../ports/storage';
import type { SessionChat } from '../ports/session-chat';
import type { ChannelMembers } from '../sessions/channel-members';
import type { GuidanceSource } from '../sessions/task-context';
import type { KnownNames } from '../sessions/thread-messages';
import type { RateLimiter } from './rate-limit';
import type { ThreadCache } from './thread-cache';

/** What Baton's MCP server and REST API need; the composition root builds it once. */
export interface ToolDeps {
  slack: SlackClients;
  /** Display names, shared by every call of the process for a few minutes. */
  names: KnownNames;
  bots: Pick<BotRepository, 'get' | 'findByName'>;
  sessions: Pick<SessionRepository, 'get' | 'listForBot' | 'setAgentStatus' | 'countActive' | 'noteChannelRead'>;
  tokens: Pick<AccessTokenRepository, 'verify' | 'touch' | 'expiredAt'>;
  guidance: GuidanceSource;
  /** Each session's thread as its agent last read it. */
  threads: ThreadCache;
  writer: Pick<SessionChat, 'post' | 'postMessages' | 'postOutside' | 'react'>;
  launcher: SessionLauncher;
  notifier: SessionNotifier;
  limiter: RateLimiter;
  /** Self-hosted sessions: the inbox the callback API reports into, and the runtime's session credentials. */
  inbox: RuntimeInbox;
  /** `PUBLIC_URL/api/v1`, the server named in the OpenAPI document. */
  apiUrl: string;
  runtimeCredentials(session: Session, bot: Bot): Promise<IssuedCredentials>;
  audit: AuditTrail;
  log: Logger;
  /** Channel members, for what the person behind a token may read. */
  members: ChannelMembers;
  /** Unfinished sessions one workspace may have; start_session refuses past it. */
  maxActiveSessions: number;
}
