/**
 * @module storage/group-commit
 * Group commit: write operations that arrive while the database is busy share one transaction.
 * Under load, hundreds of accepts and send results commit together instead of one by one; alone,
 * an operation waits one event-loop turn. If a shared transaction fails, each operation is run
 * again in a transaction of its own, so one bad write never fails its neighbours.
 */
import type { Kysely, Transaction } from 'kysely';

type Op<DB> = (tx: Transaction<DB>) => Promise<unknown>;

interface Pending<DB> {
  op: Op<DB>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export class GroupCommit<DB> {
  private queue: Pending<DB>[] = [];
  private running = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly maxBatch = 1_000,
  ) {}

  run<T>(op: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /** One transaction at a time; whatever queued up meanwhile goes into the next one. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.commit(batch);
    }
    this.running = false;
  }

  private async commit(batch: Pending<DB>[]): Promise<void> {
    let results: unknown[];
    try {
      results = await this.db.transaction().execute(async (tx) => {
        const out: unknown[] = [];
        for (const item of batch) out.push(await item.op(tx));
        return out;
      });
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      for (const item of batch) {
        try {
          item.resolve(await this.db.transaction().execute(item.op));
        } catch (e) {
          item.reject(e);
        }
      }
      return;
    }
    batch.forEach((item, i) => item.resolve(results[i]));
  }
}
