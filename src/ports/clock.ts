/**
 * @module ports/clock
 * Time is a dependency: tests move it, production reads it.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
