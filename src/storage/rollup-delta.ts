/**
 * @module storage/rollup-delta
 * What one write adds to the analytics rollups, summed in memory per key before it reaches the
 * database. A key is the message's send hour and its dimensions, all read from the message row, so
 * every counter of a message (accepted, sent, delivered hours later, replied to, converted) lands
 * in the same bucket: the hour it was due to be sent, never the hour a late callback arrived.
 */
import { LATENCY_BUCKETS, latencyBucket } from '../core/delivery-latency.js';

export const HOUR_MS = 3_600_000;

/** Counters kept per key, named as their columns. */
export const ROLLUP_COUNTERS = [
  'accepted',
  'sent',
  'delivered',
  'failed',
  'undelivered',
  'replies',
  'opt_outs',
  'conversions',
  'converted',
  'clicks',
  'clicked',
  'segments',
] as const;
export type RollupCounter = (typeof ROLLUP_COUNTERS)[number];

export const DIMENSION_COLUMNS = [
  'hour',
  'provider',
  'template',
  'variant',
  'country',
  'purpose',
  'channel',
  'currency',
] as const;

export const LATENCY_COLUMNS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `ttd_${String(i).padStart(2, '0')}`);

export interface RollupDims {
  /** Start of the hour (epoch ms) the message was due to be sent: `send_at`, else its acceptance. */
  hour: number;
  provider: string;
  template: string;
  variant: string;
  country: string;
  purpose: string;
  channel: string;
  /** Currency of the message's cost ('' when unpriced). */
  currency: string;
}

/** The message columns a key is made of. */
export interface DimsRow {
  send_at: number | string | null;
  created_at: number | string;
  provider: string | null;
  template: string | null;
  variant: string | null;
  country: string | null;
  purpose: string;
  channel: string;
  cost_currency: string | null;
  price_currency: string | null;
}

/** Columns to select (or return) for `dimsOf`. */
export const DIMS_SELECT = [
  'send_at',
  'created_at',
  'provider',
  'template',
  'variant',
  'country',
  'purpose',
  'channel',
  'cost_currency',
  'price_currency',
] as const;

export function dimsOf(r: DimsRow): RollupDims {
  const due = Number(r.send_at ?? r.created_at);
  return {
    hour: Math.floor(due / HOUR_MS) * HOUR_MS,
    provider: r.provider ?? '',
    template: r.template ?? '',
    variant: r.variant ?? '',
    country: r.country ?? '',
    purpose: r.purpose,
    channel: r.channel,
    currency: r.price_currency ?? r.cost_currency ?? '',
  };
}

export interface RollupEntry {
  dims: RollupDims;
  counts: Record<RollupCounter, number>;
  cost: number;
  latencyCount: number;
  latencySumMs: number;
  latency: number[];
}

export interface RollupAddition {
  counts?: Partial<Record<RollupCounter, number>>;
  cost?: number;
  /** A delivery's time from `sent`, in milliseconds. */
  latencyMs?: number;
}

const keyOf = (d: RollupDims): string =>
  `${d.hour}\u0000${d.provider}\u0000${d.template}\u0000${d.variant}\u0000${d.country}\u0000${d.purpose}\u0000${d.channel}\u0000${d.currency}`;

const zeroCounts = (): Record<RollupCounter, number> =>
  Object.fromEntries(ROLLUP_COUNTERS.map((c) => [c, 0])) as Record<RollupCounter, number>;

export class RollupDelta {
  private readonly entries = new Map<string, RollupEntry>();

  get size(): number {
    return this.entries.size;
  }

  add(dims: RollupDims, what: RollupAddition): void {
    const key = keyOf(dims);
    let e = this.entries.get(key);
    if (!e) {
      e = {
        dims,
        counts: zeroCounts(),
        cost: 0,
        latencyCount: 0,
        latencySumMs: 0,
        latency: new Array<number>(LATENCY_BUCKETS).fill(0),
      };
      this.entries.set(key, e);
    }
    for (const [name, n] of Object.entries(what.counts ?? {})) e.counts[name as RollupCounter] += n;
    if (what.cost) e.cost += what.cost;
    if (what.latencyMs !== undefined) {
      const ms = Math.max(0, what.latencyMs);
      e.latencyCount += 1;
      e.latencySumMs += ms;
      const b = latencyBucket(ms);
      e.latency[b] = (e.latency[b] ?? 0) + 1;
    }
  }

  merge(other: RollupDelta): void {
    for (const [key, o] of other.entries) {
      const e = this.entries.get(key);
      if (!e) {
        this.entries.set(key, { ...o, counts: { ...o.counts }, latency: [...o.latency] });
        continue;
      }
      for (const c of ROLLUP_COUNTERS) e.counts[c] += o.counts[c];
      e.cost += o.cost;
      e.latencyCount += o.latencyCount;
      e.latencySumMs += o.latencySumMs;
      o.latency.forEach((n, i) => (e.latency[i] = (e.latency[i] ?? 0) + n));
    }
  }

  /** In key order, so concurrent writers (PostgreSQL) lock rollup rows in one order and never deadlock. */
  sorted(): RollupEntry[] {
    return [...this.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  }
}
