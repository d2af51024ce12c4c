/**
 * @module storage/group-commit
 * Group commit: write operations that arrive while the database is busy share one transaction.
 * Under load, hundreds of accepts and send results commit together instead of one by one. A failed
 * shared transaction is retried operation by operation (see Coalescer), so one bad write never
 * fails its neighbours.
 *
 * On PostgreSQL other processes write too, and a transaction can lose a race it did nothing wrong
 * in: a deadlock, or a unique key (an idempotency key, a template version number) that another
 * process took between our read and our insert. Such a transaction is run again from the start:
 * the operations re-read what they decide on, so the second run sees the winner's row.
 */
import type { Kysely, Transaction } from 'kysely';
import { Coalescer } from './coalesce.js';
import type { WriteLock } from './write-lock.js';

type Op<DB> = (tx: Transaction<DB>) => Promise<unknown>;

/** Work a transaction's operations left for its end (see beforeCommit), by transaction. */
const finishers = new WeakMap<object, Array<() => Promise<void>>>();

/**
 * Runs `finish` at the end of the group-commit transaction `tx`, after all its operations and
 * before it commits (the rollups: one upsert for everything the transaction counted). Returns
 * false when `tx` is not a group-commit transaction, and the caller must do the work itself.
 */
export function beforeCommit(tx: object, finish: () => Promise<void>): boolean {
  const list = finishers.get(tx);
  if (!list) return false;
  list.push(finish);
  return true;
}

const DEADLOCK = '40P01';
const SERIALIZATION_FAILURE = '40001';
const UNIQUE_VIOLATION = '23505';

/** Whether a failed transaction of `size` operations is worth running again (PostgreSQL codes only). */
export function worthRetrying(err: unknown, attempt: number, size: number): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === DEADLOCK || code === SERIALIZATION_FAILURE) return attempt < 5;
  // Retried once, alone: in a batch the Coalescer splits the batch and each operation gets its retry.
  if (code === UNIQUE_VIOLATION) return size === 1 && attempt < 2;
  return false;
}

export class GroupCommit<DB> {
  private readonly ops: Coalescer<Op<DB>, unknown>;

  constructor(
    private readonly db: Kysely<DB>,
    maxBatch = 1_000,
    /** Taken around each transaction: SQLite's file shared with another thread (storage/write-lock). */
    private readonly lock?: WriteLock,
  ) {
    this.ops = new Coalescer((ops) => this.transact(ops), maxBatch);
  }

  run<T>(op: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.ops.submit(op) as Promise<T>;
  }

  private async transact(ops: Op<DB>[]): Promise<unknown[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(ops);
      } catch (err) {
        if (!worthRetrying(err, attempt, ops.length)) throw err;
        // Two processes that deadlocked would otherwise meet again at once.
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  private async once(ops: Op<DB>[]): Promise<unknown[]> {
    await this.lock?.acquire();
    try {
      return await this.db.transaction().execute(async (tx) => {
        const out: unknown[] = [];
        const finish: Array<() => Promise<void>> = [];
        finishers.set(tx, finish);
        for (const op of ops) out.push(await op(tx));
        for (let i = 0; i < finish.length; i++) await (finish[i] as () => Promise<void>)();
        return out;
      });
    } finally {
      this.lock?.release();
    }
  }
}
