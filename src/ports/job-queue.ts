/**
 * @module ports/job-queue
 * The queue between acceptance and dispatch. A job's id is its message's id, so announcing or
 * enqueuing the same message twice is harmless. Work is leased, not taken: a worker that dies
 * holding jobs loses them to another worker when the lease expires.
 */
import type { Message } from '../core/message.js';

/** What a worker needs to send, carried with the job so dispatch reads nothing else. */
export type DispatchPayload = Pick<
  Message,
  'channel' | 'purpose' | 'to' | 'from' | 'body' | 'encoding' | 'segments' | 'template' | 'fallback' | 'contacts'
>;

export interface Job {
  id: string;
  /** 1 for the first delivery of this job, 2 after one retry, ... */
  attempt: number;
  data: DispatchPayload;
}

/**
 * `retry`: the attempt failed; the next one runs after `delayMs`. `defer`: the job did not try (a
 * pace, a daily cap, a warm-up allowance said "not now"); it runs again after `delayMs` as the same
 * attempt, and its message is back to `queued` meanwhile.
 */
export type JobOutcome = { type: 'done' } | { type: 'retry'; delayMs: number } | { type: 'defer'; delayMs: number };

export type JobHandler = (job: Job, signal: AbortSignal) => Promise<JobOutcome>;

export interface WorkerOptions {
  /** Jobs in flight at once. */
  concurrency: number;
}

export interface QueueWorker {
  /** Stops claiming, waits for in-flight jobs up to `deadlineMs`, then aborts the rest and hands them back. */
  stop(deadlineMs: number): Promise<void>;
  readonly running: boolean;
}

export interface JobQueue {
  /**
   * Tells the queue that jobs for these message ids were committed with their messages.
   * Embedded: wakes idle workers. Redis: copies the jobs over (an outbox relay also sweeps).
   */
  announce(ids: string[]): void;
  process(handler: JobHandler, opts: WorkerOptions): QueueWorker;
  /** Jobs waiting or running. */
  depth(): Promise<number>;
  /** Readiness of a queue that lives outside the database (Redis): throws when it does not answer. */
  ping?(): Promise<void>;
  /**
   * A queue that lives outside the database (Redis): since when (epoch ms) its longest-waiting due
   * job has waited for a worker, or null when none waits. The jobs table answers for the rest.
   */
  oldestWaitingSince?(): Promise<number | null>;
  close(): Promise<void>;
}
