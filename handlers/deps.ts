import type { AccessTokenRepository } from '../models/access-tokens';
import type { AccessPolicy } from '../src/access';
import type { BotStores } from '../src/bots/deps';
import type { Logger } from '../src/log';
import type { JobQueue } from '../src/ports/job-queue';
import type { TeamRef } from '../src/ports/slack-clients';
import type { ProposalStore } from '../src/ports/proposals';
import type { AuditTrail, EventDedupe, InstallationRemover } from '../src/ports/storage';
import type { ChannelSettingsRepository } from '../models/channel-settings';
import type { SessionRepository } from '../models/sessions';
import type { SpendRepository } from '../models/spend';
import type { ConfigSources } from '../src/ports/settings';
import type { SignInSigner } from '../src/mcp-oauth/tickets';
import type { SessionAccess } from '../src/sessions/access';
import type { SessionPageLinks } from '../src/web/page-links';

export interface HandlerDeps {
  queue: JobQueue;
  /**
   * 👀 on a mention through the session writer if the reaction budget allows it now; false when it did not go (no
   * budget now, or Slack refused it).
   */
  hear(team: TeamRef, channel: string, ts: string): Promise<boolean>;
  events: EventDedupe;
  installations: InstallationRemover;
  audit: AuditTrail;
  stores: BotStores;
  access: AccessPolicy;
  /** Who may press a session's buttons and read its log. */
  sessionAccess: SessionAccess;
  proposals: ProposalStore;
  sessions: SessionRepository;
  /** Channel settings: default bot, guidance, monthly cap, and each bot's section. */
  channels: ChannelSettingsRepository;
  /** What the session resolver reads (`/baton explain`, the Channel settings modal). */
  settings: ConfigSources;
  /** Spending limits and spend (`/baton spend`, `/baton budget`, Continue). */
  spend: SpendRepository;
  /** Bot API tokens (`/baton tokens`), and the REST API base URL they call. */
  tokens: AccessTokenRepository;
  apiUrl: string;
  /** Mints the personal links to Baton's MCP sign-in page. */
  signInLinks: Pick<SignInSigner, 'linkFor'>;
  /** How long a rotated webhook signing secret keeps signing next to the new one. */
  webhookRotationOverlapMs: number;
  /** Signed links to session pages; undefined when Baton has no public web pages (Socket Mode, no PUBLIC_URL). */
  pageLinks: SessionPageLinks | undefined;
  log: Logger;
}
