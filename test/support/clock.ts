/** A clock tests move by hand. */
import type { Clock } from '../../src/ports/clock.js';

export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2030, 0, 1)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
