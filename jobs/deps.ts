import type { AccessPolicy } from '../src/access';
import type { CursorApi } from '../src/adapters/cursor/cursor-api';
import type { Config } from '../src/config';
import type { BotStores } from '../src/bots/deps';
import type { Logger } from '../src/log';
import type { ClaudeApi } from '../src/ports/claude';
import type { ProposalStore } from '../src/ports/proposals';
import type { SlackClients } from '../src/ports/slack-clients';
import type { SessionDeps } from '../src/sessions/deps';

export interface ProcessorDeps {
  slack: SlackClients;
  stores: BotStores;
  claude: ClaudeApi;
  proposals: ProposalStore;
  access: AccessPolicy;
  events: { purgeExpired(): Promise<number> };
  session: SessionDeps;
  /** Cursor keys are validated against Cursor's API. */
  cursor: CursorApi;
  webhooks: Config['webhooks'];
  log: Logger;
}

/** Where a job is in its retries: a processor may answer differently on its last try. */
export interface JobAttempt {
  isFinal: boolean;
  /** 1 on the first try. */
  number: number;
}
