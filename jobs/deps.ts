import type { ChannelSettingsRepository } from '../models/channel-settings';
import type { SessionTriggerRepository } from '../models/session-triggers';
import type { AccessPolicy } from '../src/access';
import type { CursorApi } from '../src/adapters/cursor/cursor-api';
import type { Config } from '../src/config';
import type { BotStores } from '../src/bots/deps';
import type { Logger } from '../src/log';
import type { TokenEndpointLookup } from '../src/bots/mcp-credentials';
import type { ClaudeApi } from '../src/ports/claude';
import type { JobQueue } from '../src/ports/job-queue';
import type { PendingPicks } from '../src/ports/picks';
import type { ProposalStore } from '../src/ports/proposals';
import type { SlackClients } from '../src/ports/slack-clients';
import type { SessionDeps } from '../src/sessions/deps';

export interface ProcessorDeps {
  slack: SlackClients;
  stores: BotStores;
  claude: ClaudeApi;
  proposals: ProposalStore;
  queue: JobQueue;
  access: AccessPolicy;
  events: { purgeExpired(): Promise<number> };
  session: SessionDeps;
  /** OAuth discovery of an MCP server's token endpoint (pasted refresh tokens). */
  lookupTokenEndpoint: TokenEndpointLookup;
  /** Sessions by the Slack trigger that made them, and by thread. */
  triggers: SessionTriggerRepository;
  channels: Pick<ChannelSettingsRepository, 'defaultBotId'>;
  picks: PendingPicks;
  /** Cursor keys are validated against Cursor's API. */
  cursor: CursorApi;
  webhooks: Config['webhooks'];
  queuedCardAfterMs: Config['queuedCardAfterMs'];
  log: Logger;
}

/** Where a job is in its retries: a processor may answer differently on its last try. */
export interface JobAttempt {
  isFinal: boolean;
  /** The job's id, which comes from the Slack trigger for trigger jobs. */
  jobId: string;
  /** 1 on the first try. */
  number: number;
  /** How many workers died while running this job (each hands it on to the next). */
  crashes: number;
  /** Puts the job back in the queue unfinished, not as a failure or a crash: this process is stopping. */
  handBack(): Promise<never>;
}

/**
 * How many worker deaths a job outlives. A deploy or a crash takes every running session with it, so a session must
 * outlive a few in a row; past this many, a run-session job ends its session instead of killing the next worker too.
 */
export const CRASHES_TOLERATED = 3;
