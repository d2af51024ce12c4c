/**
 * @module queue/wakeup
 * A sleep that can be cut short: idle workers wait on it, new work fires it.
 */
export class Wakeup {
  private waiters: Array<() => void> = [];
  private fired = false;

  fire(): void {
    const waiters = this.waiters;
    this.waiters = [];
    // Nobody asleep: remember the signal so the next wait does not sleep through new work.
    if (waiters.length === 0) this.fired = true;
    for (const w of waiters) w();
  }

  /** Resolves after `ms`, or at once if fired since the last wait. */
  wait(ms: number): Promise<void> {
    if (this.fired) {
      this.fired = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }
}
