/**
 * @module storage/coalesce
 * Many callers, one write: items submitted while a flush is running wait for the next flush and go
 * together. Alone, an item waits one event-loop turn. If a combined flush fails, each item is
 * flushed again on its own, so one bad item never fails its neighbours.
 */
interface Pending<T, R> {
  item: T;
  resolve(value: R): void;
  reject(err: unknown): void;
}

export class Coalescer<T, R> {
  private queue: Pending<T, R>[] = [];
  private running = false;

  constructor(
    private readonly flushMany: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 1_000,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      await this.flush(this.queue.splice(0, this.maxBatch));
    }
    this.running = false;
  }

  private async flush(batch: Pending<T, R>[]): Promise<void> {
    try {
      const results = await this.flushMany(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i] as R));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      for (const p of batch) {
        try {
          const [result] = await this.flushMany([p.item]);
          p.resolve(result as R);
        } catch (e) {
          p.reject(e);
        }
      }
    }
  }
}
