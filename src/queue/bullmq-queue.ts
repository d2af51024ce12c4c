/**
 * @module queue/bullmq-queue
 * The queue of the scaled-out mode: BullMQ on Redis, job id = message id. The database stays the
 * source of truth: acceptance commits a job row with its message, and the outbox relay copies rows
 * into BullMQ (see queue/outbox-relay), delayed until `sendAt` for scheduled messages. Every process
 * relays, API and worker alike: each relays what it announces, at once, and sweeps every second for
 * what any process left behind, so a crash between the commit and the enqueue loses nothing whichever
 * processes are still up. Only workers run jobs (see queue/bullmq-worker).
 *
 * Finished jobs are removed from Redis at once, so the same message id can be enqueued again when the
 * message falls back to another channel.
 */
import { Queue } from 'bullmq';
import type { Clock } from '../ports/clock.js';
import type { JobOutbox, OutboxEntry } from '../ports/job-outbox.js';
import type { JobHandler, JobQueue, QueueWorker, WorkerOptions } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';
import { BullmqWorker, type DispatchJobData } from './bullmq-worker.js';
import { OutboxRelay } from './outbox-relay.js';
import { redisConnector, type RedisClient, type RedisUse } from './redis-client.js';
import { redisTarget } from './redis-url.js';

export interface BullmqQueueOptions {
  clock: Clock;
  logger: Logger;
  /**
   * BullMQ's job lock. A worker renews it every half of this while it runs the job; a worker that
   * died stops renewing, and its jobs are put back once the lock has run out (TIDINGS_JOB_LEASE).
   */
  lockDurationMs: number;
  /** How often workers look for jobs whose lock ran out. Default: half the lock, between 1 and 5 s. */
  stalledIntervalMs?: number;
  /** A job that stalls more often than this is given up (it keeps killing workers). Default 10. */
  maxStalledCount?: number;
  /** Outbox rows per relay transaction. Default 500. */
  relayBatch?: number;
  /** How often the outbox is swept. Default 1 s. */
  sweepMs?: number;
  /** Scheduled jobs due further ahead stay in the database (see OutboxRelayOptions). Default 10 min. */
  relayHorizonMs?: number;
  /** The BullMQ queue's name under the prefix. Default `dispatch`. */
  queueName?: string;
}

const JOB_NAME = 'send';
/** Far more than a sweep interval, so a job is in Redis long before it is due even if sweeps lag. */
const RELAY_HORIZON_MS = 10 * 60_000;

/** Connects to the Redis of TIDINGS_REDIS_URL and starts relaying the outbox. */
export async function openBullmqQueue(
  redisUrl: string,
  outbox: JobOutbox,
  opts: BullmqQueueOptions,
): Promise<BullmqQueue> {
  const target = redisTarget(redisUrl);
  const connect = await redisConnector(target.url);
  return new BullmqQueue(connect, target.prefix, target.location, outbox, opts);
}

export class BullmqQueue implements JobQueue {
  private readonly client: RedisClient;
  private readonly queue: Queue<DispatchJobData>;
  private readonly relay: OutboxRelay;
  private readonly workers = new Set<BullmqWorker>();
  /** Announced while their job was running here: relayed once it has finished. */
  private readonly afterRelease = new Set<string>();
  private readonly queueName: string;

  constructor(
    private readonly connect: (use: RedisUse) => RedisClient,
    private readonly prefix: string,
    /** Where the queue lives, safe to print (no credentials). */
    readonly location: string,
    private readonly outbox: JobOutbox,
    private readonly opts: BullmqQueueOptions,
  ) {
    this.queueName = opts.queueName ?? 'dispatch';
    this.client = connect('commands');
    this.queue = new Queue<DispatchJobData>(this.queueName, {
      connection: this.client as never,
      prefix,
      // One attempt: retries are our handler's decision (see bullmq-worker), never BullMQ's.
      defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: true },
    });
    let lastError = 0;
    this.queue.on('error', (err) => {
      if (Date.now() - lastError < 60_000) return;
      lastError = Date.now();
      opts.logger.warn({ err }, 'queue: Redis error');
    });
    this.relay = new OutboxRelay(
      outbox,
      { running: (ids) => this.running(ids), add: (entries, now) => this.add(entries, now) },
      {
        clock: opts.clock,
        logger: opts.logger,
        batch: opts.relayBatch ?? 500,
        sweepMs: opts.sweepMs ?? 1_000,
        horizonMs: opts.relayHorizonMs ?? RELAY_HORIZON_MS,
      },
    );
    this.relay.start();
  }

  announce(ids: string[]): void {
    const now: string[] = [];
    for (const id of ids) {
      if ([...this.workers].some((w) => w.holds(id))) this.afterRelease.add(id);
      else now.push(id);
    }
    if (now.length > 0) this.relay.announce(now);
  }

  process(handler: JobHandler, workerOpts: WorkerOptions): QueueWorker {
    const lockDurationMs = this.opts.lockDurationMs;
    const worker: BullmqWorker = new BullmqWorker({
      queueName: this.queueName,
      prefix: this.prefix,
      connection: this.connect('worker'),
      outbox: this.outbox,
      handler,
      clock: this.opts.clock,
      logger: this.opts.logger,
      concurrency: workerOpts.concurrency,
      lockDurationMs,
      stalledIntervalMs: this.opts.stalledIntervalMs ?? Math.min(5_000, Math.max(1_000, lockDurationMs / 2)),
      maxStalledCount: this.opts.maxStalledCount ?? 10,
      onReleased: (id) => {
        if (this.afterRelease.delete(id)) this.relay.announce([id]);
      },
      onStopped: () => this.workers.delete(worker),
    });
    this.workers.add(worker);
    return worker;
  }

  /** Jobs waiting, delayed or running in Redis, plus rows not yet relayed. */
  async depth(): Promise<number> {
    const [queued, unrelayed] = await Promise.all([
      this.queue.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized'),
      this.outbox.depth(),
    ]);
    return queued + unrelayed;
  }

  /**
   * The job longest in BullMQ's wait list (due, and no worker has taken it): when it became due.
   * Scheduled jobs wait in the delayed set until then, and are not counted before.
   */
  async oldestWaitingSince(): Promise<number | null> {
    const [oldest] = await this.queue.getJobs(['waiting'], 0, 0, true);
    if (!oldest) return null;
    return (oldest.data as DispatchJobData).dueAt ?? oldest.timestamp;
  }

  /** Readiness: throws when Redis does not answer. */
  async ping(): Promise<void> {
    await this.client.ping();
  }

  /** Relays every outbox row it can now (the periodic sweep, on demand). */
  sweep(): Promise<number> {
    return this.relay.sweep();
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.stop(0)));
    await this.relay.stop();
    await this.queue.close();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  /** A running job holds a lock key beside its own (BullMQ's layout: `<job key>:lock`). */
  private async running(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const locks = await this.client.mget(...ids.map((id) => this.queue.toKey(`${id}:lock`)));
    return new Set(ids.filter((_, i) => locks[i] !== null && locks[i] !== undefined));
  }

  private async add(entries: OutboxEntry[], now: number): Promise<void> {
    if (entries.length === 0) return;
    await this.queue.addBulk(
      entries.map((e) => ({
        name: JOB_NAME,
        data: { attempt: e.attempt, dueAt: e.dueAt },
        opts: { jobId: e.id, delay: Math.max(0, e.dueAt - now) },
      })),
    );
  }
}
