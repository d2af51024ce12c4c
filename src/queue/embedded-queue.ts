/**
 * @module queue/embedded-queue
 * The queue of the embedded mode: jobs live in the database next to their messages (see
 * ports/job-store), and workers in this process lease them in batches. Completions are written in
 * batches too, because one write transaction per message would cap throughput at the disk's sync rate.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../ports/clock.js';
import type { Job, JobHandler, JobOutcome, JobQueue, QueueWorker, WorkerOptions } from '../ports/job-queue.js';
import type { JobCompletion, JobStore } from '../ports/job-store.js';
import type { Logger } from '../ports/logger.js';
import { Wakeup } from './wakeup.js';

export interface EmbeddedQueueOptions {
  clock: Clock;
  logger: Logger;
  /** How long a claimed job stays invisible to other workers; longer than any send may take. */
  leaseMs: number;
  /** Upper bound on how long an idle worker sleeps before looking again. */
  pollMs: number;
  /** Jobs claimed per transaction. */
  claimBatch: number;
}

export class EmbeddedQueue implements JobQueue {
  private readonly workers = new Set<EmbeddedWorker>();
  private readonly announced: Array<() => void> = [];

  constructor(
    private readonly store: JobStore,
    private readonly opts: EmbeddedQueueOptions,
  ) {}

  announce(_ids: string[]): void {
    for (const w of this.workers) w.wake();
    for (const listener of this.announced) listener();
  }

  /** Also tell workers outside this thread (main/dispatch-thread) when jobs are announced. */
  onAnnounce(listener: () => void): void {
    this.announced.push(listener);
  }

  process(handler: JobHandler, workerOpts: WorkerOptions): QueueWorker {
    const worker = new EmbeddedWorker(this.store, handler, { ...this.opts, ...workerOpts }, () =>
      this.workers.delete(worker),
    );
    this.workers.add(worker);
    worker.start();
    return worker;
  }

  depth(): Promise<number> {
    return this.store.depth();
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.stop(0)));
  }
}

class EmbeddedWorker implements QueueWorker {
  /** One token per worker: proves to the store that a completion comes from the lease holder. */
  private readonly leaseToken = randomUUID();
  private readonly inflight = new Map<string, AbortController>();
  private readonly wakeup = new Wakeup();
  private pending: JobCompletion[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private loop: Promise<void> = Promise.resolve();
  private stopping = false;
  running = false;

  constructor(
    private readonly store: JobStore,
    private readonly handler: JobHandler,
    private readonly opts: EmbeddedQueueOptions & WorkerOptions,
    private readonly onStopped: () => void,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  wake(): void {
    this.wakeup.fire();
  }

  private async run(): Promise<void> {
    const { clock, logger, concurrency, claimBatch, pollMs, leaseMs } = this.opts;
    while (!this.stopping) {
      const free = concurrency - this.inflight.size;
      if (free <= 0) {
        await this.wakeup.wait(pollMs);
        continue;
      }
      const want = Math.min(free, claimBatch);
      let claimed: Job[] = [];
      try {
        claimed = await this.store.claim({ limit: want, now: clock.now(), leaseMs, leaseToken: this.leaseToken });
      } catch (err) {
        logger.error({ err }, 'claiming jobs failed; retrying');
        await this.wakeup.wait(pollMs);
        continue;
      }
      for (const job of claimed) this.startJob(job);
      if (claimed.length === want) continue; // more may be due right now
      const next = await this.store.nextVisibleAt().catch(() => null);
      const wait = next === null ? pollMs : Math.max(0, Math.min(pollMs, next - clock.now()));
      if (wait > 0) await this.wakeup.wait(wait);
    }
  }

  private startJob(job: Job): void {
    const controller = new AbortController();
    this.inflight.set(job.id, controller);
    this.handler(job, controller.signal)
      .catch((err: unknown): JobOutcome => {
        // A handler that throws has a bug; keep the job rather than lose the message.
        this.opts.logger.error({ err, messageId: job.id }, 'job handler threw; retrying the job later');
        return { type: 'retry', delayMs: 5_000 };
      })
      .then((outcome) => {
        this.inflight.delete(job.id);
        this.pending.push({ id: job.id, leaseToken: this.leaseToken, outcome });
        this.scheduleFlush();
        this.wakeup.fire();
      });
  }

  private scheduleFlush(): void {
    if (this.pending.length !== 1) return; // a flush is already scheduled for this batch
    setImmediate(() => {
      this.flushing = this.flushing.then(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      await this.store.complete(batch, this.opts.clock.now());
    } catch (err) {
      // The leases will expire and the jobs come back; claims skip messages already final.
      this.opts.logger.error({ err, jobs: batch.length }, 'recording job completions failed');
    }
  }

  async stop(deadlineMs: number): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.wakeup.fire();
    await this.loop;
    const deadline = Date.now() + deadlineMs;
    while (this.inflight.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
    }
    // Past the deadline: abort what is left; their handlers hand the jobs back as retries.
    const left = [...this.inflight.keys()];
    for (const c of this.inflight.values()) c.abort(new Error('worker shutting down'));
    while (this.inflight.size > 0) await new Promise((r) => setTimeout(r, 10));
    await this.flushing;
    await this.flush();
    if (left.length > 0) this.opts.logger.info({ jobs: left.length }, 'handed back in-flight jobs at shutdown');
    this.running = false;
    this.onStopped();
  }
}
