/**
 * @module core/delivery-latency
 * Time to delivery (provider accepted → carrier reported delivered) kept as counts in fixed
 * buckets, because counts add up: an hour's histogram plus the next hour's is the two hours'
 * histogram, so median and p95 over any range come from pre-aggregated rows without a scan of the
 * messages. The price is resolution: a quantile is exact to within its bucket, and interpolated
 * linearly inside it. The bounds are dense where SMS delivery usually lands (seconds to minutes).
 */

/** Upper bounds of the buckets, in seconds; a last, open bucket takes everything above. */
export const LATENCY_BOUNDS_S = [
  1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1200, 1800, 3600, 7200, 14400, 43200, 86400,
] as const;

/** Buckets in all: one per bound plus the open one. */
export const LATENCY_BUCKETS = LATENCY_BOUNDS_S.length + 1;

/** The bucket a latency falls in: the first whose upper bound it does not exceed. */
export function latencyBucket(ms: number): number {
  const s = Math.max(0, ms) / 1000;
  for (let i = 0; i < LATENCY_BOUNDS_S.length; i++) if (s <= (LATENCY_BOUNDS_S[i] as number)) return i;
  return LATENCY_BOUNDS_S.length;
}

/**
 * The q-quantile (0 < q < 1) in seconds, interpolated inside its bucket; null without data.
 * The open last bucket has no upper bound, so a quantile that lands there is its lower bound.
 */
export function latencyQuantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0 && below + c >= rank) {
      const lower = i === 0 ? 0 : (LATENCY_BOUNDS_S[i - 1] as number);
      const upper = LATENCY_BOUNDS_S[i];
      if (upper === undefined) return lower;
      return lower + ((upper - lower) * (rank - below)) / c;
    }
    below += c;
  }
  return LATENCY_BOUNDS_S[LATENCY_BOUNDS_S.length - 1] as number;
}
