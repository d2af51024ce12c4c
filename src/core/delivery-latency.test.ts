import { describe, expect, it } from 'vitest';
import { LATENCY_BOUNDS_S, LATENCY_BUCKETS, latencyBucket, latencyQuantile } from './delivery-latency.js';

describe('delivery latency histogram', () => {
  it('puts a latency in the first bucket whose bound it does not exceed', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(1_000)).toBe(0);
    expect(latencyBucket(1_001)).toBe(1);
    expect(latencyBucket(60_000)).toBe(LATENCY_BOUNDS_S.indexOf(60));
    expect(latencyBucket(10 * 86_400_000)).toBe(LATENCY_BUCKETS - 1);
  });

  it('interpolates quantiles inside their bucket (worked by hand)', () => {
    const counts = new Array<number>(LATENCY_BUCKETS).fill(0);
    counts[0] = 2; // (0, 1] s
    counts[1] = 2; // (1, 2] s
    counts[3] = 6; // (3, 5] s
    // Median: rank 5 of 10; 4 lie below bucket 3, so 1/6 of the way from 3 s to 5 s.
    expect(latencyQuantile(counts, 0.5)).toBeCloseTo(3 + 2 / 6, 12);
    // p95: rank 9.5, 5.5/6 of the way.
    expect(latencyQuantile(counts, 0.95)).toBeCloseTo(3 + (2 * 5.5) / 6, 12);
    expect(latencyQuantile(counts, 0.2)).toBeCloseTo(1, 12);
    expect(latencyQuantile(new Array<number>(LATENCY_BUCKETS).fill(0), 0.5)).toBeNull();
  });

  it('answers the lower bound when the quantile is in the open last bucket', () => {
    const counts = new Array<number>(LATENCY_BUCKETS).fill(0);
    counts[LATENCY_BUCKETS - 1] = 3;
    expect(latencyQuantile(counts, 0.5)).toBe(86_400);
  });
});
