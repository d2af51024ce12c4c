/**
 * The queue's age in the scaled-out mode (`tidings_queue_oldest_age_seconds`): a message accepted
 * while no worker runs is relayed from the database's outbox to Redis at once, and waits there.
 * The gauge must keep counting it; reading the outbox alone, it fell back to 0 as soon as the
 * relay had copied the job, and an alert on a stuck queue would never fire when workers are down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';
import { freshRedisUrl, redisIfReachable } from '../support/queue-backends.js';

const bullmq = await redisIfReachable();

async function queueGauges(t: Tidings): Promise<{ depth: number; age: number }> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { depth: read('tidings_queue_depth'), age: read('tidings_queue_oldest_age_seconds') };
}

describe.runIf(bullmq)('queue age with the jobs in Redis (PostgreSQL + BullMQ, no worker running)', () => {
  let t: Tidings;
  const redis = freshRedisUrl();

  beforeAll(async () => {
    t = await startTidings({ TIDINGS_REDIS_URL: redis.url }, { backend: bullmq!.storage, role: 'api' });
  });
  afterAll(async () => {
    await t?.stop();
    await redis.drop();
  });

  it('counts the time a relayed job waits in Redis for a worker', async () => {
    expect((await queueGauges(t)).age).toBe(0);
    const sent = await t.api('POST', '/v1/messages', { to: '+14155550142', body: 'Your table for 4 is ready' });
    expect(sent.status).toBe(202);
    // Relayed: out of the outbox, one job in Redis.
    await waitFor(
      async () => (await t.rt.storage.db.selectFrom('jobs').select('message_id').execute()).length,
      (n) => n === 0,
    );
    const later = await waitFor(
      () => queueGauges(t),
      (g) => g.age >= 1,
    );
    expect(later.depth).toBe(1);
    expect(later.age).toBeLessThan(30);
  });
});
