/**
 * @module test/fakes/shared/fault-queue
 * The faults a test asks a fake for ("the next 2 requests answer 503", "reset the next one"), queued
 * in order and taken one per request. Each fake decides where in its protocol a fault strikes (before
 * auth, as a gateway would, or after, as the service itself would) and what its faults look like.
 */
export class FaultQueue<F> {
  readonly #faults: F[] = [];

  /** Queues `fault` for the next `n` requests, after those already queued. */
  add(n: number, fault: F): void {
    for (let i = 0; i < n; i++) this.#faults.push(fault);
  }

  /** Takes the next fault, if any. */
  take(): F | undefined {
    return this.#faults.shift();
  }

  /** Takes the next fault only when it matches; leaves it queued otherwise. */
  takeIf<G extends F>(matches: (fault: F) => fault is G): G | undefined {
    const next = this.#faults[0];
    if (next === undefined || !matches(next)) return undefined;
    this.#faults.shift();
    return next;
  }

  /** Drops every pending fault: the service has recovered. */
  clear(): void {
    this.#faults.length = 0;
  }

  get size(): number {
    return this.#faults.length;
  }
}
