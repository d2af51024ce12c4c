/**
 * @module storage/queue-age
 * How long the oldest due job has waited for a worker: depth says how much work is queued, age
 * says whether it is moving (a queue of 10,000 that drains in a second is healthy; one job stuck for
 * ten minutes is not). Read from the jobs table at scrape time: the embedded queue's jobs, or in
 * the scaled-out mode the outbox rows not yet relayed to Redis.
 */
import type { StorageHandle } from './handle.js';

export async function oldestWaitingAgeSeconds(storage: StorageHandle, now: number): Promise<number> {
  const row = await storage.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('visible_at').as('oldest'))
    .where('lease_token', 'is', null)
    .where('visible_at', '<=', now)
    .executeTakeFirst();
  const oldest = row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
  return oldest === null ? 0 : Math.max(0, (now - oldest) / 1000);
}
