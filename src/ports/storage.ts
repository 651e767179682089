/** Remembers which Slack deliveries were handled, so a redelivery causes nothing. */
export interface EventDedupe {
  /** True only for the first claim of `eventId` within `ttlMs`. */
  claim(eventId: string, ttlMs: number): Promise<boolean>;
}

export interface AuditEntryInput {
  teamId: string;
  actorId: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

/** Who changed what, and when. Entries never carry secret values. */
export interface AuditTrail {
  record(entry: AuditEntryInput): Promise<void>;
}

export interface InstallationRef {
  teamId: string | undefined;
  enterpriseId: string | undefined;
  isEnterpriseInstall: boolean;
}

export interface InstallationRemover {
  deleteInstallation(query: InstallationRef): Promise<void>;
}
