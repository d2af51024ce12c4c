/**
 * @module ports/job-outbox
 * The jobs table seen as an outbox, for a queue that lives outside the database (BullMQ on Redis).
 * Acceptance writes a job row in the message's own transaction; a relay copies rows into the queue
 * and deletes them, so a crash between the database write and the enqueue loses nothing. A copy
 * made twice (a crash after the enqueue, before the delete) may run twice, so a worker starts each
 * job through `start`, which refuses a message that is already final.
 */
import type { Job } from './job-queue.js';

export interface OutboxEntry {
  id: string;
  /** The attempt the job's next run will be (1 for a new message or a message that fell back). */
  attempt: number;
  /** When the job is due (epoch ms): now for a new message, `sendAt` for a scheduled one. */
  dueAt: number;
}

/** Where a relay pass got to: it goes on after this row, in due order. */
export interface OutboxPosition {
  dueAt: number;
  id: string;
}

export interface JobOutbox {
  /**
   * In one transaction: passes up to `limit` rows (those of `ids`, or else any, in due order after
   * `after`) to `move`, then deletes the rows whose ids `move` returns. Rows that another relay
   * holds are skipped, so several processes can relay at once. Rows due after `dueBy` stay where
   * they are (a message scheduled for next month waits in the database, not in Redis). Returns
   * the rows it passed.
   */
  relay(
    opts: { ids?: readonly string[]; limit: number; after?: OutboxPosition; dueBy?: number },
    move: (entries: OutboxEntry[]) => Promise<string[]>,
  ): Promise<OutboxEntry[]>;
  /**
   * Marks the job's message `sending` (with its event) and returns the job to run, or null when the
   * message is final or gone: a job copied twice, or a message canceled while its job waited.
   */
  start(job: { id: string; attempt: number }, now: number): Promise<Job | null>;
  /**
   * A started job that did not try (pacing, a daily cap) waits again: its message reads `queued`
   * once more, and can be canceled as any queued message. A message no longer `sending` is left alone.
   */
  requeue(id: string, now: number): Promise<void>;
  /** Rows not yet relayed. */
  depth(): Promise<number>;
}
