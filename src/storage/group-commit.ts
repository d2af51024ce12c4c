/**
 * @module storage/group-commit
 * Group commit: write operations that arrive while the database is busy share one transaction.
 * Under load, hundreds of accepts and send results commit together instead of one by one. A failed
 * shared transaction is retried operation by operation (see Coalescer), so one bad write never
 * fails its neighbours.
 */
import type { Kysely, Transaction } from 'kysely';
import { Coalescer } from './coalesce.js';

type Op<DB> = (tx: Transaction<DB>) => Promise<unknown>;

export class GroupCommit<DB> {
  private readonly ops: Coalescer<Op<DB>, unknown>;

  constructor(db: Kysely<DB>, maxBatch = 1_000) {
    this.ops = new Coalescer(
      (ops) =>
        db.transaction().execute(async (tx) => {
          const out: unknown[] = [];
          for (const op of ops) out.push(await op(tx));
          return out;
        }),
      maxBatch,
    );
  }

  run<T>(op: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.ops.submit(op) as Promise<T>;
  }
}
