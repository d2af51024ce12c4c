/**
 * @module queue/bullmq-worker
 * One BullMQ worker running our job handler. A job carries only its attempt number: the message is
 * read when the job starts (`JobOutbox.start`), which also refuses a message already final, so a job
 * that runs twice (added twice by a relay that crashed, or back from a stalled worker) sends once.
 *
 * BullMQ's own retries are off (one attempt, and the processor never throws an ordinary error): our
 * handler decides. A retry keeps the job id and moves the job to BullMQ's delayed set with the
 * attempt increased; a permanent failure is simply a finished job. At shutdown, jobs still running
 * at the deadline are aborted and put back at the head of the waiting list; the interrupted try
 * counts as an attempt, as on the embedded queue, since it may have reached the provider.
 * A worker that dies holding jobs stops renewing their locks; after `lockDuration` another worker's
 * stalled-job check (every `stalledInterval`) puts them back.
 */
import { DelayedError, WaitingError, Worker, type Job as BullJob } from 'bullmq';
import type { Clock } from '../ports/clock.js';
import type { JobOutbox } from '../ports/job-outbox.js';
import type { JobHandler, JobOutcome, QueueWorker } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';
import type { RedisClient } from './redis-client.js';

export interface DispatchJobData {
  attempt: number;
  /**
   * When the job became due (epoch ms), for the queue's age. BullMQ's own fields cannot tell: a
   * delayed job keeps its add time and has its delay set to 0 when it is promoted. Absent on jobs
   * added before this field was.
   */
  dueAt?: number;
}

export interface BullmqWorkerOptions {
  queueName: string;
  prefix: string;
  /** A connection of its own (BullMQ blocks on it while waiting for jobs); closed when the worker stops. */
  connection: RedisClient;
  outbox: JobOutbox;
  handler: JobHandler;
  clock: Clock;
  logger: Logger;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  /** Told when a job this worker held is no longer running here (finished, delayed or handed back). */
  onReleased(id: string): void;
  onStopped(): void;
}

/** When the handler throws (a bug) or the database fails at start: keep the job, try again later. */
const TROUBLE_DELAY_MS = 5_000;

export class BullmqWorker implements QueueWorker {
  private readonly worker: Worker<DispatchJobData>;
  private readonly inflight = new Map<string, AbortController>();
  /** Ids from the moment a processor takes them until BullMQ no longer counts them active here. */
  private readonly held = new Set<string>();
  private readonly processing = new Set<Promise<unknown>>();
  private stopping: Promise<void> | null = null;
  /** Past the shutdown deadline: a job that starts now is aborted at once. */
  private aborting = false;
  running = true;

  constructor(private readonly opts: BullmqWorkerOptions) {
    this.worker = new Worker<DispatchJobData>(opts.queueName, (job, token) => this.track(this.process(job, token)), {
      connection: opts.connection as never,
      prefix: opts.prefix,
      concurrency: opts.concurrency,
      lockDuration: opts.lockDurationMs,
      stalledInterval: opts.stalledIntervalMs,
      maxStalledCount: opts.maxStalledCount,
    });
    let lastError = 0;
    this.worker.on('error', (err) => {
      // Repeats every reconnect while Redis is away: once a minute is enough to see it.
      if (Date.now() - lastError < 60_000) return;
      lastError = Date.now();
      opts.logger.warn({ err }, 'queue worker: Redis error');
    });
    this.worker.on('completed', (job) => this.release(job.id));
    this.worker.on('failed', (job, err) => {
      // Only BullMQ fails our jobs: one stalled more than maxStalledCount times (it kept killing workers).
      opts.logger.error({ err, messageId: job?.id }, 'the queue gave up on a job; its message stays as it is');
      if (job?.id) this.release(job.id);
    });
  }

  /** Whether this worker holds the job right now. */
  holds(id: string): boolean {
    return this.held.has(id);
  }

  /** Jobs running in the handler now. */
  get active(): number {
    return this.inflight.size;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.processing.add(p);
    void p.finally(() => this.processing.delete(p)).catch(() => {});
    return p;
  }

  private release(id: string | undefined): void {
    if (id === undefined || !this.held.delete(id)) return;
    this.opts.onReleased(id);
  }

  private async process(job: BullJob<DispatchJobData>, token: string | undefined): Promise<string> {
    const id = job.id ?? '';
    this.held.add(id);
    if (this.stopping) return this.handBack(job, token);
    const attempt = Number(job.data.attempt) || 1;
    let outcome: JobOutcome;
    let interrupted = false;
    try {
      const started = await this.opts.outbox.start({ id, attempt }, this.opts.clock.now());
      if (!started) return 'skipped'; // final already: a copy of a job that ran, or a canceled message
      const controller = new AbortController();
      this.inflight.set(id, controller);
      if (this.aborting) controller.abort(new Error('worker shutting down'));
      try {
        outcome = await this.opts.handler(started, controller.signal);
      } finally {
        this.inflight.delete(id);
      }
      interrupted = outcome.type === 'retry' && controller.signal.aborted;
    } catch (err) {
      this.opts.logger.error({ err, messageId: id }, 'job failed unexpectedly; trying it again later');
      outcome = { type: 'retry', delayMs: TROUBLE_DELAY_MS };
    }
    // Interrupted mid-send: it may have reached the provider, so it counts, as on the embedded queue.
    if (interrupted) return this.handBack(job, token, attempt + 1);
    if (outcome.type === 'done') return 'done';
    // Same job id, next attempt: BullMQ's delayed set is the retry timer. A deferral (pacing, a
    // daily cap) did not try, so it keeps its attempt.
    // Its new due time goes in its data too, for the queue's age (see DispatchJobData.dueAt).
    const dueAt = Date.now() + outcome.delayMs;
    if (outcome.type === 'retry') await job.updateData({ ...job.data, attempt: attempt + 1, dueAt });
    else {
      await job.updateData({ ...job.data, dueAt });
      await this.opts.outbox.requeue(id, this.opts.clock.now());
    }
    await job.moveToDelayed(dueAt, token);
    this.release(id);
    throw new DelayedError();
  }

  /** Back to the head of the waiting list, for the next worker to take first. */
  private async handBack(job: BullJob<DispatchJobData>, token: string | undefined, attempt?: number): Promise<never> {
    if (attempt !== undefined) await job.updateData({ ...job.data, attempt });
    await job.moveToWait(token);
    this.release(job.id);
    throw new WaitingError();
  }

  stop(deadlineMs: number): Promise<void> {
    this.stopping ??= (async () => {
      await this.worker.pause(true); // takes no new jobs; a fetch in flight is handed back
      const deadline = Date.now() + deadlineMs;
      while (this.inflight.size > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
      }
      const left = this.inflight.size;
      this.aborting = true;
      for (const c of this.inflight.values()) c.abort(new Error('worker shutting down'));
      await Promise.allSettled([...this.processing]);
      await this.worker.close();
      await this.opts.connection.quit().catch(() => this.opts.connection.disconnect());
      if (left > 0) this.opts.logger.info({ jobs: left }, 'handed back in-flight jobs at shutdown');
      this.running = false;
      this.opts.onStopped();
    })();
    return this.stopping;
  }
}
