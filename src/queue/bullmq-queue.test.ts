/**
 * What only the Redis queue has to get right: the outbox between the database and Redis (a crash
 * between the two, copies made twice, relays in several processes), the job in Redis keeping the
 * message id across retries, a message re-enqueued under the same id after a fallback, and Redis
 * health. The behaviour both queues share is in job-queue.test.ts.
 */
import { Job as BullJob, Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMessage, memoryRepositories } from '../../test/support/messages.js';
import { freshRedisUrl, redisIfReachable, silent } from '../../test/support/queue-backends.js';
import type { Job, JobOutcome } from '../ports/job-queue.js';
import type { Storage } from '../storage/connect.js';
import { JobOutboxRepository } from '../storage/job-outbox-repository.js';
import type { JobRepository } from '../storage/job-repository.js';
import type { MessageRepository } from '../storage/message-repository.js';
import { openBullmqQueue, type BullmqQueue } from './bullmq-queue.js';
import { BullmqWorker } from './bullmq-worker.js';
import { redisConnector, type RedisClient } from './redis-client.js';

const bullmq = await redisIfReachable();

async function until(cond: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clock = { now: () => Date.now() };

describe.runIf(bullmq)('BullmqQueue on Redis + PostgreSQL', () => {
  let storage: Storage;
  let repo: MessageRepository;
  let jobs: JobRepository;
  let redis: ReturnType<typeof freshRedisUrl>;
  let queues: BullmqQueue[];
  let inspector: { client: RedisClient; queue: Queue };

  /** A queue as one process has it; `sweepMs` long means it relays only what it is told about. */
  async function open(sweepMs = 60_000): Promise<BullmqQueue> {
    const q = await openBullmqQueue(redis.url, new JobOutboxRepository(storage), {
      clock,
      logger: silent,
      lockDurationMs: 30_000,
      sweepMs,
    });
    queues.push(q);
    return q;
  }

  /** Marks the message sent, as the dispatcher does, so it is final. */
  const sent = (job: Job) =>
    repo.recordSent({
      id: job.id,
      provider: 'sim:default',
      providerMessageId: `SIM${job.id}`,
      status: 'sent',
      attempt: job.attempt,
      at: Date.now(),
      latencyMs: 1,
    });

  beforeEach(async () => {
    ({ storage, repo, jobs } = await memoryRepositories(bullmq!.storage));
    redis = freshRedisUrl();
    queues = [];
    const client = (await redisConnector(redis.url.replace(/\?.*$/, '')))('worker');
    inspector = { client, queue: new Queue('dispatch', { connection: client as never, prefix: redis.prefix }) };
  });
  afterEach(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await inspector.queue.close();
    await inspector.client.quit();
    await redis.drop();
    await storage.close();
  });

  it('sends a message whose process crashed between its commit and its enqueue, once', async () => {
    const api = await open();
    const m = makeMessage({ createdAt: Date.now() });
    await repo.accept([m], null); // committed, never announced: the process "died" here
    await sleep(100);
    expect(await jobs.depth()).toBe(1);
    expect(await inspector.queue.getJobCountByTypes('waiting', 'delayed', 'active')).toBe(0);
    await api.close();

    const worker = await open(50); // another process: its sweep finds the row
    const runs: string[] = [];
    worker.process(async (job) => (runs.push(job.id), await sent(job), { type: 'done' }), { concurrency: 4 });
    await until(() => runs.length === 1);
    await until(async () => (await worker.depth()) === 0);
    await sleep(300);
    expect(runs).toEqual([m.id]);
    expect(await jobs.depth()).toBe(0);
  });

  it('does not send twice a job copied into Redis again after it finished', async () => {
    const q = await open(50);
    const runs: Job[] = [];
    q.process(async (job) => (runs.push(job), await sent(job), { type: 'done' }), { concurrency: 2 });
    const [m] = [makeMessage({ createdAt: Date.now() })];
    await repo.accept([m!], null);
    q.announce([m!.id]);
    await until(async () => runs.length === 1 && (await q.depth()) === 0);

    // A relay that added the job and died before deleting its row leaves the row: the sweep copies it again.
    await storage.db.insertInto('jobs').values({ message_id: m!.id, visible_at: Date.now(), attempts: 0 }).execute();
    await until(async () => (await jobs.depth()) === 0);
    // And a copy added straight to Redis, as a relay that crashed mid-batch might leave.
    await inspector.queue.add('send', { attempt: 1 }, { jobId: m!.id });
    await until(async () => (await q.depth()) === 0);
    await sleep(200);
    expect(runs.map((j) => j.id)).toEqual([m!.id]);
    expect((await repo.get(m!.id))?.status).toBe('sent');
    expect((await repo.events(m!.id)).filter((e) => e.status === 'sending')).toHaveLength(1);
  });

  it('keeps the message id as the job id across retries, with the next attempt in the job', async () => {
    const q = await open();
    const m = makeMessage({ createdAt: Date.now() });
    await repo.accept([m], null);
    const attempts: number[] = [];
    q.process(
      async (job): Promise<JobOutcome> => {
        attempts.push(job.attempt);
        return job.attempt === 1 ? { type: 'retry', delayMs: 1_000 } : { type: 'done' };
      },
      { concurrency: 1 },
    );
    q.announce([m.id]);
    await until(() => attempts.length === 1);
    await until(async () => (await inspector.queue.getJobState(m.id)) === 'delayed');
    const waiting = await BullJob.fromId(inspector.queue, m.id);
    // The next attempt, and when it is due (the queue's age counts from then, not from the first add).
    expect(waiting?.data).toEqual({ attempt: 2, dueAt: expect.any(Number) as number });
    expect((waiting?.data as { dueAt: number }).dueAt).toBeGreaterThan(Date.now() + 500);
    expect(await inspector.queue.getJobCountByTypes('delayed')).toBe(1);
    await until(() => attempts.length === 2, 3_000);
    expect(attempts).toEqual([1, 2]);
    await until(async () => (await q.depth()) === 0);
    expect(await BullJob.fromId(inspector.queue, m.id)).toBeUndefined();
    expect(await inspector.queue.getJobCountByTypes('failed', 'completed')).toBe(0);
  });

  it('tells since when the oldest due job has waited in Redis, and leaves scheduled ones out', async () => {
    const q = await open(); // no worker yet: what is relayed waits
    expect(await q.oldestWaitingSince()).toBeNull();
    const firstDue = Date.now() - 2_000; // accepted two seconds ago; the relay was late
    const first = makeMessage({ createdAt: firstDue });
    await repo.accept([first], null);
    q.announce([first.id]);
    await until(async () => (await inspector.queue.getJobCountByTypes('waiting')) === 1);
    expect(await q.oldestWaitingSince()).toBe(firstDue);

    const second = makeMessage({ createdAt: Date.now() });
    const scheduled = makeMessage({ createdAt: Date.now(), status: 'scheduled', sendAt: Date.now() + 60_000 });
    await repo.accept([second, scheduled], null);
    q.announce([second.id, scheduled.id]);
    await until(async () => (await inspector.queue.getJobCountByTypes('waiting', 'delayed')) === 3);
    expect(await q.oldestWaitingSince()).toBe(firstDue); // still the first, however many wait behind it

    // Workers take what is due; the scheduled one is not late, so nothing counts as waiting.
    q.process(async (job) => (await sent(job), { type: 'done' }), { concurrency: 4 });
    await until(async () => (await inspector.queue.getJobCountByTypes('waiting', 'active')) === 0);
    expect(await q.oldestWaitingSince()).toBeNull();
    expect(await inspector.queue.getJobCountByTypes('delayed')).toBe(1);
  });

  it('holds a scheduled message in Redis until its time', async () => {
    const q = await open();
    const sendAt = Date.now() + 700;
    const m = makeMessage({ createdAt: Date.now(), status: 'scheduled', sendAt });
    await repo.accept([m], null);
    q.announce([m.id]);
    const runs: number[] = [];
    q.process(async () => (runs.push(Date.now()), { type: 'done' }), { concurrency: 1 });
    await until(async () => (await inspector.queue.getJobState(m.id)) === 'delayed');
    await until(async () => (await jobs.depth()) === 0); // out of the outbox once the relay commits
    await until(() => runs.length === 1, 3_000);
    expect(runs[0]).toBeGreaterThanOrEqual(sendAt - 5);
  });

  it.each([
    ['this process', 'here'],
    ['another process', 'elsewhere'],
  ] as const)(
    'runs again a message that fell back to another channel while its job ran (announced by %s)',
    async (_who, where) => {
      const q = await open(where === 'here' ? 60_000 : 100);
      const other = await open();
      const m = makeMessage({ createdAt: Date.now(), fallback: ['email'], contacts: { email: 'ada@example.com' } });
      await repo.accept([m], null);
      const runs: Job[] = [];
      q.process(
        async (job) => {
          runs.push(job);
          if (runs.length === 1) {
            const moved = await repo.fallBack([{ id: job.id, at: Date.now(), reason: { trigger: 'failed' } }]);
            (where === 'here' ? q : other).announce(moved.map((x) => x.id));
            await sleep(50); // still running while the relay looks at it
          }
          return { type: 'done' };
        },
        { concurrency: 1 },
      );
      q.announce([m.id]);
      await until(() => runs.length === 2, 5_000);
      expect(runs.map((j) => [j.id, j.attempt, j.data.channel, j.data.to])).toEqual([
        [m.id, 1, 'sms', m.to],
        [m.id, 1, 'email', 'ada@example.com'],
      ]);
      await until(async () => (await q.depth()) === 0);
    },
  );

  it('shares the outbox between relays in several processes without copying a row twice', async () => {
    const ms = Array.from({ length: 300 }, () => makeMessage({ createdAt: Date.now() }));
    await repo.accept(ms, null);
    const a = await open(20);
    const b = await open(20);
    const runs = new Map<string, number>();
    // Messages stay pending, so a second copy of any job would run again.
    const count = async (job: Job): Promise<JobOutcome> => (
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1),
      { type: 'done' }
    );
    a.process(count, { concurrency: 8 });
    b.process(count, { concurrency: 8 });
    await until(async () => runs.size === 300 && (await a.depth()) === 0, 10_000);
    await sleep(300);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(300);
  });

  it('gives the job of a worker that died to another once its lock runs out', async () => {
    const m = makeMessage({ createdAt: Date.now() });
    await repo.accept([m], null);
    const line = (await redisConnector(redis.url.replace(/\?.*$/, '')))('worker');
    let taken = (): void => {};
    const took = new Promise<void>((r) => (taken = r));
    // A worker whose process dies mid-send: it stops answering, and its connection is gone.
    const dead = new BullmqWorker({
      queueName: 'dispatch',
      prefix: redis.prefix,
      connection: line,
      outbox: new JobOutboxRepository(storage),
      handler: (_job, signal) =>
        new Promise<JobOutcome>((resolve) => {
          taken();
          signal.addEventListener('abort', () => resolve({ type: 'retry', delayMs: 0 }));
        }),
      clock,
      logger: silent,
      concurrency: 1,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
      maxStalledCount: 10,
      onReleased: () => {},
      onStopped: () => {},
    });
    const q = await open(50);
    q.announce([m.id]);
    await took;
    line.disconnect();
    const started = Date.now();
    const live = await openBullmqQueue(redis.url, new JobOutboxRepository(storage), {
      clock,
      logger: silent,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
    });
    queues.push(live);
    const runs: Job[] = [];
    live.process(async (job) => (runs.push(job), { type: 'done' }), { concurrency: 1 });
    await until(() => runs.length === 1, 5_000);
    expect(Date.now() - started).toBeLessThan(1_000 + 2 * 500 + 500);
    expect(runs.map((j) => [j.id, j.attempt])).toEqual([[m.id, 1]]);
    await dead.stop(0).catch(() => {}); // what is left of it
  });

  it('answers readiness from Redis, and fails it fast when Redis is away', async () => {
    const q = await open();
    await until(() =>
      q.ping().then(
        () => true,
        () => false,
      ),
    );
    const away = await openBullmqQueue('redis://127.0.0.1:1', new JobOutboxRepository(storage), {
      clock,
      logger: silent,
      lockDurationMs: 30_000,
    });
    const started = Date.now();
    await expect(away.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(away.location).toBe('redis://127.0.0.1:1/0 (prefix tidings)');
    await away.close();
  });
});
