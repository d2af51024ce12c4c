/**
 * @module core/failure-window
 * Sends and failures over a sliding window of time, in fixed buckets: recording is O(1), memory is
 * bounded by the bucket count however many sends go through, and the window slides bucket by bucket
 * (a 5-minute window in 30 buckets moves in 10-second steps). Time is passed in.
 */
export interface FailureCounts {
  sends: number;
  failures: number;
}

export class FailureWindow {
  private readonly bucketMs: number;
  private readonly sends: number[];
  private readonly failures: number[];
  /** The bucket number (time / bucketMs) each slot last held. */
  private readonly slots: number[];

  constructor(
    readonly windowMs: number,
    buckets = 30,
  ) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / buckets));
    const n = Math.ceil(windowMs / this.bucketMs);
    this.sends = new Array<number>(n).fill(0);
    this.failures = new Array<number>(n).fill(0);
    this.slots = new Array<number>(n).fill(-1);
  }

  record(now: number, failed: boolean): void {
    const bucket = Math.floor(now / this.bucketMs);
    const i = bucket % this.slots.length;
    if (this.slots[i] !== bucket) {
      this.slots[i] = bucket;
      this.sends[i] = 0;
      this.failures[i] = 0;
    }
    this.sends[i] = (this.sends[i] ?? 0) + 1;
    if (failed) this.failures[i] = (this.failures[i] ?? 0) + 1;
  }

  counts(now: number): FailureCounts {
    const newest = Math.floor(now / this.bucketMs);
    const oldest = newest - this.slots.length + 1;
    let sends = 0;
    let failures = 0;
    this.slots.forEach((bucket, i) => {
      if (bucket >= oldest && bucket <= newest) {
        sends += this.sends[i] ?? 0;
        failures += this.failures[i] ?? 0;
      }
    });
    return { sends, failures };
  }
}

export interface FailureRatePolicy {
  /** Share of failed sends (0–1) at or above which the rate alerts. */
  threshold: number;
  /** Fewer sends than this in the window say nothing either way. */
  minSends: number;
}

/**
 * True when the failure rate is too high, false when it is clearly fine, null when the window holds
 * too few sends to tell (a quiet night must neither raise nor clear an alert, unless nothing failed).
 */
export function failureRateTooHigh(c: FailureCounts, policy: FailureRatePolicy): boolean | null {
  if (c.sends >= policy.minSends) return c.failures / c.sends >= policy.threshold;
  return c.failures === 0 ? false : null;
}
