import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobQueue } from '../src/ports/job-queue';
import { QUEUE_NAME, SESSION_QUEUE_NAME, TRIGGER_QUEUE_NAME, queueOf, type JobRequest } from './definitions';

/** BullMQ's priorities start at 1 and every prioritized job goes after all jobs without one. */
const DEFERRED_PRIORITY = 1;

/** The states of a job no worker has started yet. */
const WAITING = new Set(['waiting', 'prioritized', 'delayed', 'waiting-children']);

export class BullJobQueue implements JobQueue {
  private readonly queue: Queue;
  private readonly sessions: Queue;
  private readonly triggers: Queue;

  /** Failed jobs are retried 4 times, waiting `backoffMs`, then twice, four and eight times as long. */
  constructor(connection: Redis, prefix: string, backoffMs: number) {
    const defaultJobOptions = {
      attempts: 5,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: { age: 3_600, count: 5_000 },
      removeOnFail: { age: 7 * 24 * 3_600 },
    };
    this.queue = new Queue(QUEUE_NAME, { connection, prefix, defaultJobOptions });
    this.triggers = new Queue(TRIGGER_QUEUE_NAME, { connection, prefix, defaultJobOptions });
    // A finished run job is removed at once, so the session's run job id can be used again to resume it.
    this.sessions = new Queue(SESSION_QUEUE_NAME, {
      connection,
      prefix,
      defaultJobOptions: { ...defaultJobOptions, removeOnComplete: true, removeOnFail: true },
    });
  }

  async enqueue(job: JobRequest): Promise<void> {
    await this.queueOf(job).add(job.name, job.data, {
      jobId: job.jobId,
      ...(job.delayMs ? { delay: job.delayMs } : {}),
      ...(job.isDeferrable ? { priority: DEFERRED_PRIORITY } : {}),
      ...(job.retries
        ? { attempts: job.retries.attempts, backoff: { type: 'exponential', delay: job.retries.backoffMs } }
        : {}),
    });
  }

  async isWaiting(job: JobRequest): Promise<boolean> {
    return WAITING.has(await this.queueOf(job).getJobState(job.jobId));
  }

  async cancel(job: JobRequest): Promise<boolean> {
    // BullMQ removes a job atomically, and never one a worker holds the lock of.
    return (await this.queueOf(job).remove(job.jobId)) === 1;
  }

  private queueOf(job: JobRequest): Queue {
    const name = queueOf(job.name);
    return name === SESSION_QUEUE_NAME ? this.sessions : name === TRIGGER_QUEUE_NAME ? this.triggers : this.queue;
  }

  /** Housekeeping that runs on a timer, once across all workers (BullMQ job schedulers are keyed by id). */
  async scheduleHousekeeping(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'purge-processed-events',
      { every: 60 * 60 * 1000 },
      { name: 'purge-processed-events', data: { v: 1 } },
    );
  }

  /** The BullMQ queues themselves, for the queue dashboard. */
  get queues(): Queue[] {
    return [this.triggers, this.queue, this.sessions];
  }

  /** How many jobs each queue holds in each state, for /metrics. */
  async counts(): Promise<Array<{ queue: string; state: string; count: number }>> {
    const rows = await Promise.all(
      this.queues.map(async (queue) =>
        Object.entries(await queue.getJobCounts()).map(([state, count]) => ({ queue: queue.name, state, count })),
      ),
    );
    return rows.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
  }
}
