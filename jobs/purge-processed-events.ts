import type { ProcessorDeps } from './deps';

/** Forgets Slack event ids whose redelivery window has passed, so the dedupe table stays small. */
export async function runPurgeProcessedEvents(_data: unknown, deps: ProcessorDeps): Promise<void> {
  const purged = await deps.events.purgeExpired();
  deps.log.info({ event: 'job.purge_processed_events', purged });
}
