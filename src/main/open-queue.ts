/**
 * @module main/open-queue
 * Picks the queue for the configuration: BullMQ on Redis when TIDINGS_REDIS_URL is set (the
 * scaled-out mode), else the embedded queue on the database.
 */
import type { Clock } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';
import { openBullmqQueue } from '../queue/bullmq-queue.js';
import { EmbeddedQueue } from '../queue/embedded-queue.js';
import type { Config } from '../config/index.js';
import type { Storage } from '../storage/connect.js';
import { JobOutboxRepository } from '../storage/job-outbox-repository.js';
import { JobRepository } from '../storage/job-repository.js';

export interface OpenedQueue {
  queue: JobQueue;
  /** Where the jobs live, safe to print (no credentials). */
  location: string;
}

export async function openQueue(
  config: Readonly<Config>,
  storage: Storage,
  deps: { clock: Clock; logger: Logger },
): Promise<OpenedQueue> {
  if (config.redisUrl !== undefined) {
    const queue = await openBullmqQueue(config.redisUrl, new JobOutboxRepository(storage), {
      ...deps,
      // The lock a running job holds, renewed while it runs: work of a dead worker comes back after it.
      lockDurationMs: config.jobLeaseMs,
    });
    return { queue, location: `BullMQ on ${queue.location}` };
  }
  const queue = new EmbeddedQueue(new JobRepository(storage), {
    ...deps,
    leaseMs: config.jobLeaseMs,
    pollMs: 1_000,
    claimBatch: 200,
  });
  return { queue, location: `embedded, in ${storage.location}` };
}
