import type { Logger } from '../src/log';
import type { JobQueue } from '../src/ports/job-queue';
import type { AuditTrail, EventDedupe, InstallationRemover } from '../src/ports/storage';

export interface HandlerDeps {
  queue: JobQueue;
  events: EventDedupe;
  installations: InstallationRemover;
  audit: AuditTrail;
  log: Logger;
}
