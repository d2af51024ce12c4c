/**
 * A deferral on every queue (embedded on SQLite; BullMQ on Redis + PostgreSQL when they answer):
 * the job runs again after the delay, as the same attempt, where a retry would be the next one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMessage } from '../../test/support/messages.js';
import { queueBackends, type QueueFixture } from '../../test/support/queue-backends.js';
import type { Job, JobOutcome } from '../ports/job-queue.js';

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.each(await queueBackends())('deferred jobs: $name', (backend) => {
  let f: QueueFixture;

  beforeEach(async () => {
    f = await backend.open({ pollMs: 50 });
  });
  afterEach(() => f.close());

  it('come back after the delay as the same attempt; a retry after them is the next', async () => {
    const m = makeMessage({ createdAt: Date.now() });
    await f.repo.accept([m], null);
    f.queue.announce([m.id]);
    const runs: Array<{ attempt: number; at: number }> = [];

    const plan: JobOutcome[] = [
      { type: 'defer', delayMs: 300 },
      { type: 'defer', delayMs: 300 },
      { type: 'retry', delayMs: 0 },
      { type: 'done' },
    ];
    f.queue.process(
      async (job: Job) => {
        runs.push({ attempt: job.attempt, at: Date.now() });
        return plan[runs.length - 1] ?? { type: 'done' };
      },
      { concurrency: 2 },
    );
    // Deferred, the message waits as any queued one does, so a cancel would reach it.
    await until(() => runs.length >= 1);
    let seen = '';
    const end = Date.now() + 10_000;
    while (runs.length === 1 && seen !== 'queued' && Date.now() < end) {
      seen = (await f.repo.get(m.id))?.status ?? '';
      // A read of SQLite settles without I/O: sleep, or the queue's own timers would never run.
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(seen).toBe('queued');
    await until(() => runs.length === 4);
    expect(runs.map((r) => r.attempt)).toEqual([1, 1, 1, 2]);
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(280);
    expect(runs[2]!.at - runs[1]!.at).toBeGreaterThanOrEqual(280);
  });
});
