import { WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { runAskAgent } from './ask-agent';
import { runHandToBot } from './hand-to-bot';
import { runStopThread } from './stop-thread';
import { runConnectExisting } from './connect-existing';
import { runDeliverWebhook } from './deliver-webhook';
import { QUEUE_NAME, SESSION_QUEUE_NAME, TRIGGER_QUEUE_NAME, type JobName } from './definitions';
import { CRASHES_TOLERATED, type JobAttempt, type ProcessorDeps } from './deps';
import { runPublishHome } from './publish-home';
import { runPurgeProcessedEvents } from './purge-processed-events';
import { runQueuedCard } from './queued-card';
import { runRunSession } from './run-session';
import { runControlSession } from './control-session';
import { runRefreshResources } from './refresh-resources';
import { runDeleteSkill, runResyncSkill } from './skill-jobs';
import { runSyncBot } from './sync-bot';
import { runValidateKey } from './validate-key';
import { within } from '../src/ops/within';

type Processor = (data: unknown, deps: ProcessorDeps, attempt: JobAttempt) => Promise<void>;

const processors: Record<JobName, Processor> = {
  'hand-to-bot': runHandToBot,
  'stop-thread': runStopThread,
  'publish-home': runPublishHome,
  'purge-processed-events': runPurgeProcessedEvents,
  'run-session': runRunSession,
  'queued-card': runQueuedCard,
  'control-session': runControlSession,
  'validate-key': runValidateKey,
  'refresh-resources': runRefreshResources,
  'sync-bot': runSyncBot,
  'connect-existing': runConnectExisting,
  'ask-agent': runAskAgent,
  'resync-skill': runResyncSkill,
  'delete-skill': runDeleteSkill,
  'deliver-webhook': runDeliverWebhook,
};

const traceOf = (job: Job): string | undefined => {
  const data: unknown = job.data;
  return typeof data === 'object' && data !== null && 'traceId' in data ? String(data.traceId) : undefined;
};

export interface WorkerOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** Sessions mostly wait on the network, so one process runs many at once. */
  sessionConcurrency: number;
  /** Lock time of a running job; a dead worker's jobs return to the queue after about this long. */
  lockMs: number;
  deps: ProcessorDeps;
}

export interface RunningWorker {
  /** Stops taking jobs, waits up to `graceMs` for running ones, then hands the rest back to the queue. */
  close(graceMs?: number): Promise<void>;
}

export function startWorker(options: WorkerOptions): RunningWorker {
  const { connection, prefix, concurrency, sessionConcurrency, lockMs, deps } = options;
  // A dead worker's lock lapses within `lockMs` (a live one renews it every half) and the stalled check that hands
  // its job to another runs every three quarters of that: a session resumes within about 1.75 × `lockMs`.
  const stalledInterval = Math.max(500, Math.floor((lockMs * 3) / 4));
  // BullMQ fails a job unrun once it has stalled more often than this: one more than tolerated, so the run after the
  // last tolerated crash still runs (and a run-session job ends its session rather than leave it Working).
  const common = { connection, prefix, lockDuration: lockMs, stalledInterval, maxStalledCount: CRASHES_TOLERATED + 1 };
  const workers = [
    // Trigger jobs run as foreground work: session event storage in this process waits for them (see Foreground).
    startQueueWorker(TRIGGER_QUEUE_NAME, { ...common, concurrency }, deps, true),
    startQueueWorker(QUEUE_NAME, { ...common, concurrency }, deps, false),
    startQueueWorker(SESSION_QUEUE_NAME, { ...common, concurrency: sessionConcurrency }, deps, false),
  ];
  return {
    async close(graceMs) {
      await Promise.all(workers.map((worker) => worker.close(graceMs)));
    },
  };
}

function startQueueWorker(
  queueName: string,
  options: {
    connection: Redis;
    prefix: string;
    concurrency: number;
    lockDuration: number;
    stalledInterval: number;
    maxStalledCount: number;
  },
  deps: ProcessorDeps,
  isForeground: boolean,
): RunningWorker {
  const { log } = deps;
  const { foreground } = deps.session;
  const worker = new Worker(
    queueName,
    async (job: Job, token?: string) => {
      const processor = processors[job.name as JobName];
      if (!processor) throw new Error(`no processor for job ${job.name}`);
      const startedAt = Date.now();
      const attempt = {
        isFinal: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        number: job.attemptsMade + 1,
        jobId: job.id ?? '',
        crashes: job.stalledCounter,
        handBack: async (): Promise<never> => {
          await job.moveToWait(token);
          log.info({ event: `job.${job.name}.handed_back`, jobId: job.id, traceId: traceOf(job) });
          throw new WaitingError();
        },
      };
      const work = () => processor(job.data, deps, attempt);
      await (isForeground ? foreground.run(work) : work());
      log.info({
        event: `job.${job.name}.done`,
        jobId: job.id,
        traceId: traceOf(job),
        durationMs: Date.now() - startedAt,
      });
    },
    options,
  );
  worker.on('failed', (job, error) => {
    log.warn({
      event: `job.${job?.name ?? 'unknown'}.failed`,
      jobId: job?.id,
      traceId: job ? traceOf(job) : undefined,
      attempt: job?.attemptsMade,
      err: error,
    });
  });
  worker.on('error', (error) => log.error({ event: 'worker.error', err: error }));

  return {
    async close(graceMs = 25_000) {
      const outcome = await within(worker.close(), graceMs, 'timeout' as const);
      if (outcome === 'timeout') {
        log.warn({ event: 'worker.close.forced', graceMs });
        await worker.close(true);
      }
    },
  };
}
