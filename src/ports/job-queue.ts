import type { JobRequest } from '../../jobs/definitions';

/** Where handlers put work for the workers. Adding a job whose `jobId` already exists is a no-op. */
export interface JobQueue {
  enqueue(job: JobRequest): Promise<void>;
  /** Whether the job (by its `jobId`) is in the queue and no worker has started it yet. */
  isWaiting(job: JobRequest): Promise<boolean>;
  /** Takes the job out of the queue unless a worker is running it (false then); one not in the queue is out already. */
  cancel(job: JobRequest): Promise<boolean>;
}
