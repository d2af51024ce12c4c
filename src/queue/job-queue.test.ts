/**
 * The queue conformance suite: every JobQueue (embedded on SQLite; BullMQ on Redis + PostgreSQL when
 * they answer, see test/support/queue-backends) runs jobs once, within the concurrency, retries
 * under the same id with the next attempt, keeps jobs whose handler fails, and hands back what is
 * still running when a worker stops.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMessage } from '../../test/support/messages.js';
import { queueBackends, type QueueFixture } from '../../test/support/queue-backends.js';
import type { Job, JobOutcome, JobQueue } from '../ports/job-queue.js';

async function until(cond: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(await queueBackends())('JobQueue: $name', (backend) => {
  let f: QueueFixture;
  let queue: JobQueue;

  beforeEach(async () => {
    f = await backend.open();
    queue = f.queue;
  });
  afterEach(() => f.close());

  /** Stores messages with their jobs and tells the queue, as acceptance does. */
  async function accept(n: number, overrides = {}) {
    const ms = Array.from({ length: n }, () => makeMessage({ createdAt: Date.now(), ...overrides }));
    await f.repo.accept(ms, null);
    queue.announce(ms.map((m) => m.id));
    return ms;
  }

  it('runs every job once, never more than `concurrency` at a time', async () => {
    await accept(120);
    let running = 0;
    let peak = 0;
    const seen: string[] = [];
    queue.process(
      async (job: Job): Promise<JobOutcome> => {
        running++;
        peak = Math.max(peak, running);
        await sleep(2);
        seen.push(job.id);
        running--;
        return { type: 'done' };
      },
      { concurrency: 8 },
    );
    await until(async () => seen.length === 120 && (await queue.depth()) === 0);
    await sleep(100);
    expect(new Set(seen).size).toBe(120);
    expect(seen.length).toBe(120);
    expect(peak).toBeLessThanOrEqual(8);
    expect(peak).toBeGreaterThan(1);
  });

  it('hands the worker what it needs to send, with the first attempt, and marks the message sending', async () => {
    const [m] = await accept(1, { body: 'Your code is 1234', to: '+447700900123' });
    const got: Job[] = [];
    queue.process(async (job) => (got.push(job), { type: 'done' }), { concurrency: 1 });
    await until(() => got.length === 1);
    expect(got[0]).toMatchObject({ id: m!.id, attempt: 1, data: { body: 'Your code is 1234', to: '+447700900123' } });
    const events = await f.repo.events(m!.id);
    expect(events.map((e) => e.status)).toEqual(['queued', 'sending']);
    expect(events[1]?.detail).toEqual({ attempt: 1 });
  });

  it('wakes up for newly announced work instead of waiting for the poll', async () => {
    const slow = await f.another({ pollMs: 60_000 });
    const seen: string[] = [];
    slow.process(async (job) => (seen.push(job.id), { type: 'done' }), { concurrency: 4 });
    await queue.close(); // only the slow queue is left to notice the work
    await sleep(30);
    const m = makeMessage({ createdAt: Date.now() });
    await f.repo.accept([m], null);
    slow.announce([m.id]);
    await until(() => seen.length === 1, 2_000);
  });

  it('retries a job under the same id, with the next attempt, after the delay its handler asks for', async () => {
    const [m] = await accept(1);
    const attempts: Array<[string, number, number]> = [];
    queue.process(
      async (job) => {
        attempts.push([job.id, job.attempt, Date.now()]);
        return job.attempt < 3 ? { type: 'retry', delayMs: 150 } : { type: 'done' };
      },
      { concurrency: 2 },
    );
    await until(() => attempts.length === 3);
    expect(attempts.map(([id, a]) => [id, a])).toEqual([
      [m!.id, 1],
      [m!.id, 2],
      [m!.id, 3],
    ]);
    const gap = (attempts[1]?.[2] ?? 0) - (attempts[0]?.[2] ?? 0);
    expect(gap).toBeGreaterThanOrEqual(140);
    await until(async () => (await queue.depth()) === 0);
  });

  it('does not run again a job its handler finished, even as a permanent failure', async () => {
    const [m] = await accept(1);
    let calls = 0;
    queue.process(
      async (job) => {
        calls++;
        await f.repo.recordFailure({
          id: job.id,
          provider: 'sim:default',
          attempt: job.attempt,
          at: Date.now(),
          kind: 'invalid_recipient',
          errorCode: '21211',
          errorMessage: 'not a mobile number',
        });
        return { type: 'done' };
      },
      { concurrency: 1 },
    );
    await until(() => calls === 1);
    await until(async () => (await queue.depth()) === 0);
    await sleep(400);
    expect(calls).toBe(1);
    expect((await f.repo.get(m!.id))?.status).toBe('failed');
  });

  it('keeps a job whose handler throws', async () => {
    await accept(1);
    let calls = 0;
    queue.process(
      async () => {
        calls++;
        throw new Error('bug');
      },
      { concurrency: 1 },
    );
    await until(() => calls === 1);
    await sleep(100);
    expect(await queue.depth()).toBe(1);
    expect(calls).toBe(1);
  });

  it('skips a job whose message was canceled before it started', async () => {
    const [m] = await accept(1, { status: 'scheduled', sendAt: Date.now() + 300 });
    await sleep(100); // the job may well be in the queue's hands by now
    expect(await f.repo.cancel(m!.id, Date.now())).toBe('canceled');
    let calls = 0;
    queue.process(async () => (calls++, { type: 'done' }), { concurrency: 1 });
    await sleep(600);
    expect(calls).toBe(0);
    expect((await f.repo.get(m!.id))?.status).toBe('canceled');
    await until(async () => (await queue.depth()) === 0);
  });

  it('on stop, lets quick jobs finish, aborts the rest at the deadline and hands them back', async () => {
    const [quick, slow] = await accept(2);
    const finished: string[] = [];
    let aborted = 0;
    const worker = queue.process(
      (job, signal) =>
        new Promise<JobOutcome>((resolve) => {
          if (job.id === quick!.id) {
            setTimeout(() => (finished.push(job.id), resolve({ type: 'done' })), 50);
            return;
          }
          signal.addEventListener('abort', () => (aborted++, resolve({ type: 'retry', delayMs: 0 })));
        }),
      { concurrency: 2 },
    );
    await until(async () => (await f.repo.get(slow!.id))?.status === 'sending');
    await worker.stop(300);
    expect(worker.running).toBe(false);
    expect(finished).toEqual([quick!.id]);
    expect(aborted).toBe(1);
    expect(await queue.depth()).toBe(1);

    const again: Job[] = [];
    const next = await f.another();
    next.process(async (job) => (again.push(job), { type: 'done' }), { concurrency: 1 });
    await until(() => again.length === 1);
    // The interrupted try counts: it may have reached the provider.
    expect(again.map((j) => [j.id, j.attempt])).toEqual([[slow!.id, 2]]);
    expect((await f.repo.get(slow!.id))?.status).toBe('sending');
  });

  it('counts waiting, scheduled and running jobs in its depth', async () => {
    expect(await queue.depth()).toBe(0);
    await accept(2);
    await accept(1, { status: 'scheduled', sendAt: Date.now() + 60_000 });
    // On Redis a job being relayed is briefly counted in both places.
    await until(async () => (await queue.depth()) === 3);
    await sleep(100);
    expect(await queue.depth()).toBe(3);
    let release = (): void => {};
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    queue.process(async () => (started++, await gate, { type: 'done' }), { concurrency: 4 });
    await until(() => started === 2);
    expect(await queue.depth()).toBe(3);
    release();
    await until(async () => (await queue.depth()) === 1);
  });
});
