import type { JobRequest } from '../../jobs/definitions';

/** Where handlers put work for the workers. Adding a job whose `jobId` already exists is a no-op. */
export interface JobQueue {
  enqueue(job: JobRequest): Promise<void>;
}
