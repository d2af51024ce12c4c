import { describe, expect, it } from 'vitest';
import { FailureWindow, failureRateTooHigh } from './failure-window.js';

const T0 = Date.UTC(2030, 0, 1);

describe('failure window', () => {
  it('counts what happened within the window and forgets what slid out of it', () => {
    const w = new FailureWindow(300_000, 30);
    for (let i = 0; i < 10; i++) w.record(T0 + i * 1_000, i % 2 === 0);
    expect(w.counts(T0 + 10_000)).toEqual({ sends: 10, failures: 5 });
    w.record(T0 + 200_000, true);
    expect(w.counts(T0 + 200_000)).toEqual({ sends: 11, failures: 6 });
    // Five minutes after the first burst it has left the window; the later failure has not.
    expect(w.counts(T0 + 311_000)).toEqual({ sends: 1, failures: 1 });
    expect(w.counts(T0 + 600_000)).toEqual({ sends: 0, failures: 0 });
  });

  it('reuses its buckets for later time without mixing in old counts', () => {
    const w = new FailureWindow(10_000, 10);
    w.record(T0, true);
    w.record(T0 + 10_000, false); // same slot, a later round
    expect(w.counts(T0 + 10_000)).toEqual({ sends: 1, failures: 0 });
  });

  it('alerts at the threshold only with enough sends, and clears only on evidence', () => {
    const policy = { threshold: 0.2, minSends: 50 };
    expect(failureRateTooHigh({ sends: 50, failures: 10 }, policy)).toBe(true);
    expect(failureRateTooHigh({ sends: 50, failures: 9 }, policy)).toBe(false);
    expect(failureRateTooHigh({ sends: 49, failures: 49 }, policy)).toBeNull();
    expect(failureRateTooHigh({ sends: 3, failures: 0 }, policy)).toBe(false);
    expect(failureRateTooHigh({ sends: 0, failures: 0 }, policy)).toBe(false);
  });
});
