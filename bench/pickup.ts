import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker, type Job } from 'bullmq';
import { createRedis } from '../jobs/redis';

export interface PickupSettings {
  redisUrl: string;
  prefix: string;
  jobs: number;
  rps: number;
  concurrency: number;
  timeoutMs: number;
}

export interface PickupResult {
  /** From just before `queue.add` to the start of the processor, per job. */
  pickupMs: number[];
  /** How long each `queue.add` took to resolve (the producer's round trip). */
  addMs: number[];
  lost: number;
}

// A queue of its own, so Baton's processors are not needed; the rest matches jobs/queue.ts and jobs/worker.ts
// (backoff at JOB_BACKOFF_MS's default).
const QUEUE = 'bench-pickup';
const JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 5_000 },
  removeOnFail: { age: 7 * 24 * 3_600 },
};

/**
 * Enqueues jobs at a steady pace on real Redis and times how long each waits until a worker starts it. Producer
 * and worker live in this one process, so `performance.now()` is a clock both sides share.
 */
export async function runPickupBench(settings: PickupSettings): Promise<PickupResult> {
  const producer = createRedis(settings.redisUrl, 'producer');
  const workerConnection = createRedis(settings.redisUrl, 'worker');
  await Promise.all([producer.connect(), workerConnection.connect()]);
  const queue = new Queue(QUEUE, { connection: producer, prefix: settings.prefix, defaultJobOptions: JOB_OPTIONS });

  const result: PickupResult = { pickupMs: [], addMs: [], lost: 0 };
  let allPickedUp: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allPickedUp = resolve));
  const worker = new Worker(
    QUEUE,
    async (job: Job<{ enqueuedAt: number }>) => {
      result.pickupMs.push(performance.now() - job.data.enqueuedAt);
      if (result.pickupMs.length === settings.jobs) allPickedUp();
    },
    { connection: workerConnection, prefix: settings.prefix, concurrency: settings.concurrency },
  );

  try {
    await worker.waitUntilReady();
    const intervalMs = 1000 / settings.rps;
    const startedAt = performance.now();
    const adds: Promise<unknown>[] = [];
    for (let i = 0; i < settings.jobs; i += 1) {
      const dueIn = startedAt + i * intervalMs - performance.now();
      if (dueIn > 0) await sleep(dueIn);
      const enqueuedAt = performance.now();
      adds.push(
        queue.add('pickup', { enqueuedAt }, { jobId: `pickup-${i}` }).then(() => {
          result.addMs.push(performance.now() - enqueuedAt);
        }),
      );
    }
    await Promise.all(adds);
    const timeout = new AbortController();
    await Promise.race([done, sleep(settings.timeoutMs, undefined, { signal: timeout.signal }).catch(() => undefined)]);
    timeout.abort();
    result.lost = settings.jobs - result.pickupMs.length;
    return result;
  } finally {
    await worker.close();
    await queue.close();
    await Promise.all([producer.quit(), workerConnection.quit()]);
  }
}
