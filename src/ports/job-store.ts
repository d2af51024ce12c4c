/**
 * @module ports/job-store
 * The persistence the embedded queue runs on: a jobs table in the same database as the messages,
 * so a message and its job commit together. A claimed job is invisible until its lease runs out
 * (`visible_at` doubles as due time and lease expiry), which is how work held by a crashed process
 * comes back without anyone noticing the crash.
 */
import type { Job, JobOutcome } from './job-queue.js';

export interface LeasedJob extends Job {
  /** Proves the holder still owns the lease when it reports back. */
  leaseToken: string;
}

export interface JobCompletion {
  id: string;
  leaseToken: string;
  outcome: JobOutcome;
}

export interface JobStore {
  /** Leases up to `limit` due jobs, oldest due first, and marks their messages `sending`. */
  claim(opts: { limit: number; now: number; leaseMs: number; leaseToken: string }): Promise<LeasedJob[]>;
  /** Removes finished jobs and reschedules retried ones; a completion with a stale lease is ignored. */
  complete(completions: JobCompletion[], now: number): Promise<void>;
  /** Hands leased jobs back untouched (graceful shutdown). */
  release(ids: string[], leaseToken: string, now: number): Promise<void>;
  /** When the next job becomes due, or null when there is none. */
  nextVisibleAt(): Promise<number | null>;
  depth(): Promise<number>;
}
