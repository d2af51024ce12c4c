/**
 * @module main/dispatch-thread
 * The embedded default, `serve --role all` on a SQLite file, dispatches on a worker thread: the
 * API's thread only accepts, and sending (claims, provider calls, results, reports) runs beside it
 * on another core, as a `--role worker` process would, but in the same process and on the same
 * file. Measured with `npm run bench`, the API's thread alone accepts about twice as many
 * requests as one that also dispatches.
 *
 * The thread has a runtime of its own (its own SQLite connection; SQLite's WAL lets the two read
 * at once, their write transactions take turns under storage/write-lock, and the thread runs the
 * WAL checkpoints, storage/wal-checkpoints). The API thread tells it about new jobs and webhook
 * deliveries, and about changes to the suppression and banned-word lists; asks it for its counters
 * when /metrics is scraped; and shows the circuits it reports on /v1/providers. A thread that dies takes the process down, as an
 * uncaught error in a single-threaded process would: its leased jobs come back after their lease.
 */
import { Worker } from 'node:worker_threads';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { EmbeddedQueue } from '../queue/embedded-queue.js';
import { leaveCheckpointsToBackground } from '../storage/wal-checkpoints.js';
import { writeLockBuffers } from '../storage/write-lock.js';
import {
  DISPATCH_YOUNG_GENERATION_MB,
  type FromDispatch,
  type ThreadMetrics,
  type ToDispatch,
} from './dispatch-thread-protocol.js';
import type { Runtime } from './runtime.js';

/** How long past the shutdown deadline the thread may take to close its runtime before it is ended. */
const STOP_GRACE_MS = 5_000;
/** How long /metrics waits for the thread's counters before it answers with the API thread's alone. */
const METRICS_WAIT_MS = 2_000;

/** Whether `serve --role all` with this runtime dispatches on a thread: on a SQLite file, unless turned off. */
export function wantsDispatchThread(rt: Runtime): boolean {
  return rt.config.dispatchThread && rt.queue instanceof EmbeddedQueue && rt.storage.location.startsWith('sqlite:');
}

export class DispatchThread {
  private exited = false;
  private stopping = false;
  private wakePosted = false;
  private nextRequest = 1;
  private readonly waiting = new Map<number, (metrics: ThreadMetrics) => void>();
  private readonly stopped: Promise<void>;

  private constructor(
    private readonly thread: Worker,
    private readonly rt: Runtime,
  ) {
    this.stopped = new Promise((resolve) => thread.once('exit', () => resolve()));
    thread.on('message', (m: FromDispatch) => this.receive(m));
    thread.once('exit', (code) => {
      this.exited = true;
      for (const answer of this.waiting.values()) answer([]);
      this.waiting.clear();
      if (this.stopping) return;
      rt.logger.fatal(
        { code },
        'the dispatch thread stopped unexpectedly; exiting so that a supervisor restarts Tidings',
      );
      process.exit(1);
    });
  }

  /** Starts the thread and resolves once it dispatches; rejects if it cannot start. */
  static async start(rt: Runtime): Promise<DispatchThread> {
    const thread = new Worker(new URL('./dispatch-thread-main.js', import.meta.url), {
      workerData: { writeLocks: writeLockBuffers() },
      resourceLimits: { maxYoungGenerationSizeMb: DISPATCH_YOUNG_GENERATION_MB },
    });
    await new Promise<void>((resolve, reject) => {
      const failed = (err: unknown): void => reject(new Error('the dispatch thread failed to start', { cause: err }));
      thread.once('error', failed);
      thread.once('exit', (code) => failed(new Error(`exited with code ${code}`)));
      const ready = (m: FromDispatch): void => {
        if (m.type !== 'ready') return;
        thread.off('message', ready);
        thread.off('error', failed);
        thread.removeAllListeners('exit');
        resolve();
      };
      thread.on('message', ready);
    });
    const dispatch = new DispatchThread(thread, rt);
    // The thread checkpoints the WAL in the background; this thread's commits need not.
    leaveCheckpointsToBackground(rt.storage);
    thread.on('error', (err) => rt.logger.error({ err }, 'the dispatch thread threw'));
    (rt.queue as EmbeddedQueue).onAnnounce(() => dispatch.wake());
    // Webhook deliveries this thread stores (events of callbacks and replies it receives) are sent
    // by the thread's delivery loops: tell them at once rather than at their next poll.
    const deliveries = (): void => dispatch.post({ type: 'deliveries' });
    rt.webhooks.loop.onWake(deliveries);
    rt.twilioCompat.loop.onWake(deliveries);
    // Each thread keeps its copy of the suppression list: a change in one refreshes the other at once.
    rt.deps.suppressions.onChange(() => dispatch.post({ type: 'suppressions' }));
    rt.deps.contentFilter.onChange(() => dispatch.post({ type: 'banned-words' }));
    rt.deps.templates.onForget((name) => dispatch.post({ type: 'template', name }));
    return dispatch;
  }

  get running(): boolean {
    return !this.exited && !this.stopping;
  }

  /** New jobs: one message per turn of the event loop, however many were accepted in it. */
  wake(): void {
    if (this.wakePosted || this.exited) return;
    this.wakePosted = true;
    setImmediate(() => {
      this.wakePosted = false;
      this.post({ type: 'wake' });
    });
  }

  /** The API thread's metrics with the dispatch thread's counters and histograms added in. */
  async render(own: Registry): Promise<string> {
    const theirs = await this.threadMetrics();
    if (theirs.length === 0) return own.metrics();
    return AggregatorRegistry.aggregate([await own.getMetricsAsJSON(), theirs]).metrics();
  }

  /** Lets the thread finish its sends up to the deadline and close its runtime. */
  async stop(deadlineMs: number): Promise<void> {
    if (this.exited) return;
    this.stopping = true;
    this.post({ type: 'stop', deadlineMs });
    // A thread that has not finished well after the deadline is ended: its leased jobs come back
    // after their lease, as after a crash, and the process can exit.
    const overdue = setTimeout(() => {
      this.rt.logger.error({ deadlineMs }, 'the dispatch thread did not stop in time; ending it');
      void this.thread.terminate();
    }, deadlineMs + STOP_GRACE_MS);
    await this.stopped;
    clearTimeout(overdue);
  }

  private threadMetrics(): Promise<ThreadMetrics> {
    if (this.exited) return Promise.resolve([]);
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve([]);
      }, METRICS_WAIT_MS);
      this.waiting.set(id, (metrics) => {
        clearTimeout(timer);
        resolve(metrics);
      });
      this.post({ type: 'metrics', id });
    });
  }

  private receive(m: FromDispatch): void {
    switch (m.type) {
      case 'health':
        this.rt.deps.health.adopt(m.views);
        return;
      case 'suppressions':
        this.rt.deps.suppressions
          .refresh()
          .catch((err: unknown) => this.rt.logger.warn({ err }, 'reloading the suppression list failed'));
        return;
      case 'metrics': {
        const answer = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.error) this.rt.logger.warn({ error: m.error }, 'the dispatch thread could not read its metrics');
        answer?.(m.metrics);
        return;
      }
      case 'stopped':
        void this.thread.terminate();
        return;
      case 'ready':
        return;
    }
  }

  /** Sends the thread a message; nothing once it has exited. */
  post(m: ToDispatch): void {
    if (!this.exited) this.thread.postMessage(m);
  }
}
