import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMessage, memoryRepositories } from '../../test/support/messages.js';
import type { Job, JobOutcome } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';
import type { Storage } from '../storage/connect.js';
import type { JobRepository } from '../storage/job-repository.js';
import type { MessageRepository } from '../storage/message-repository.js';
import { EmbeddedQueue } from './embedded-queue.js';
import { storageBackends } from '../../test/support/backends.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

async function until(cond: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.each(await storageBackends())('EmbeddedQueue on $name', (backend) => {
  let storage: Storage;
  let repo: MessageRepository;
  let jobs: JobRepository;
  let queue: EmbeddedQueue;

  beforeEach(async () => {
    ({ storage, repo, jobs } = await memoryRepositories(backend));
    queue = new EmbeddedQueue(jobs, {
      clock: { now: () => Date.now() },
      logger: silent,
      leaseMs: 30_000,
      pollMs: 50,
      claimBatch: 50,
    });
  });
  afterEach(async () => {
    await queue.close();
    await storage.close();
  });

  it('runs every job once, never more than `concurrency` at a time', async () => {
    const ms = Array.from({ length: 120 }, () => makeMessage({ createdAt: Date.now() }));
    await repo.accept(ms, null);
    let running = 0;
    let peak = 0;
    const seen: string[] = [];
    queue.process(
      async (job: Job): Promise<JobOutcome> => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        seen.push(job.id);
        running--;
        return { type: 'done' };
      },
      { concurrency: 8 },
    );
    await until(async () => (await jobs.depth()) === 0);
    expect(new Set(seen).size).toBe(120);
    expect(seen.length).toBe(120);
    expect(peak).toBeLessThanOrEqual(8);
    expect(peak).toBeGreaterThan(1);
  });

  it('wakes up for newly announced work instead of waiting for the poll', async () => {
    const slowPoll = new EmbeddedQueue(jobs, {
      clock: { now: () => Date.now() },
      logger: silent,
      leaseMs: 30_000,
      pollMs: 60_000,
      claimBatch: 10,
    });
    const seen: string[] = [];
    slowPoll.process(async (job) => (seen.push(job.id), { type: 'done' }), { concurrency: 4 });
    await new Promise((r) => setTimeout(r, 30));
    const m = makeMessage({ createdAt: Date.now() });
    await repo.accept([m], null);
    slowPoll.announce([m.id]);
    await until(() => seen.length === 1, 2_000);
    await slowPoll.close();
  });

  it('retries a job after the delay its handler asks for', async () => {
    const m = makeMessage({ createdAt: Date.now() });
    await repo.accept([m], null);
    const attempts: Array<[number, number]> = [];
    queue.process(
      async (job) => {
        attempts.push([job.attempt, Date.now()]);
        return job.attempt < 3 ? { type: 'retry', delayMs: 40 } : { type: 'done' };
      },
      { concurrency: 2 },
    );
    await until(() => attempts.length === 3);
    expect(attempts.map(([a]) => a)).toEqual([1, 2, 3]);
    const gap = (attempts[1]?.[1] ?? 0) - (attempts[0]?.[1] ?? 0);
    expect(gap).toBeGreaterThanOrEqual(35);
    await until(async () => (await jobs.depth()) === 0);
  });

  it('keeps a job whose handler throws', async () => {
    const m = makeMessage({ createdAt: Date.now() });
    await repo.accept([m], null);
    let calls = 0;
    queue.process(
      async () => {
        calls++;
        throw new Error('bug');
      },
      { concurrency: 1 },
    );
    await until(() => calls === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(await jobs.depth()).toBe(1);
  });

  it('on stop, aborts in-flight handlers after the deadline and hands their jobs back', async () => {
    const m = makeMessage({ createdAt: Date.now() });
    await repo.accept([m], null);
    let started = false;
    const worker = queue.process(
      (_job, signal) =>
        new Promise<JobOutcome>((resolve) => {
          started = true;
          signal.addEventListener('abort', () => resolve({ type: 'retry', delayMs: 0 }));
        }),
      { concurrency: 1 },
    );
    await until(() => started);
    await worker.stop(20);
    expect(worker.running).toBe(false);
    const back = await jobs.claim({ limit: 1, now: Date.now(), leaseMs: 1_000, leaseToken: 'next' });
    expect(back.map((j) => j.id)).toEqual([m.id]);
  });
});
