import type { AccessPolicy } from '../src/access';
import type { BotStores } from '../src/bots/deps';
import type { Logger } from '../src/log';
import type { JobQueue } from '../src/ports/job-queue';
import type { ProposalStore } from '../src/ports/proposals';
import type { AuditTrail, EventDedupe, InstallationRemover } from '../src/ports/storage';

export interface HandlerDeps {
  queue: JobQueue;
  events: EventDedupe;
  installations: InstallationRemover;
  audit: AuditTrail;
  stores: BotStores;
  access: AccessPolicy;
  proposals: ProposalStore;
  log: Logger;
}
