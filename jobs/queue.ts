import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobQueue } from '../src/ports/job-queue';
import { QUEUE_NAME, type JobRequest } from './definitions';

export class BullJobQueue implements JobQueue {
  private readonly queue: Queue;

  /** Failed jobs are retried 4 times, waiting `backoffMs`, then twice, four and eight times as long. */
  constructor(connection: Redis, prefix: string, backoffMs: number) {
    this.queue = new Queue(QUEUE_NAME, {
      connection,
      prefix,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: backoffMs },
        removeOnComplete: { age: 3_600, count: 5_000 },
        removeOnFail: { age: 7 * 24 * 3_600 },
      },
    });
  }

  async enqueue(job: JobRequest): Promise<void> {
    await this.queue.add(job.name, job.data, { jobId: job.jobId });
  }

  /** Housekeeping that runs on a timer, once across all workers (BullMQ job schedulers are keyed by id). */
  async scheduleHousekeeping(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'purge-processed-events',
      { every: 60 * 60 * 1000 },
      { name: 'purge-processed-events', data: { v: 1 } },
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
