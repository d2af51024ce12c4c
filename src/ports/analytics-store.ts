/**
 * @module ports/analytics-store
 * What the reports read and what the application tells us back. Reports read pre-aggregated
 * rollups only (counters per send hour and dimensions), so their cost grows with the number of
 * hours and groups asked for, never with the number of messages. Conversions and link clicks are
 * written here, each added to its message's rollup in the same transaction.
 */

export const ROLLUP_DIMENSIONS = ['provider', 'template', 'variant', 'country', 'purpose', 'channel'] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

export interface RollupCounts {
  accepted: number;
  sent: number;
  delivered: number;
  /** Final failures: refused by every provider attempt, or reported failed by the carrier. */
  failed: number;
  undelivered: number;
  /** Replies linked to the message, keywords included. */
  replies: number;
  optOuts: number;
  /** Conversion events reported, and messages with at least one. */
  conversions: number;
  converted: number;
  /** Tracked-link clicks, and messages with at least one. */
  clicks: number;
  clicked: number;
  /** SMS segments sent. */
  segments: number;
}

/** A group with nothing in it yet: what a report shows for a variant or a day that saw no messages. */
export const EMPTY_ROLLUP_COUNTS: Readonly<RollupCounts> = Object.freeze({
  accepted: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  undelivered: 0,
  replies: 0,
  optOuts: 0,
  conversions: 0,
  converted: 0,
  clicks: 0,
  clicked: 0,
  segments: 0,
});

export interface RollupTotals {
  /** The group's value: a dimension's value ('' for none), or an hour's start (epoch ms) when grouped by hour. */
  group: string | number | null;
  /** Currency of `cost`; '' for unpriced messages. */
  currency: string;
  counts: RollupCounts;
  cost: number;
  /** Time-to-delivery histogram (see core/delivery-latency), and its count and sum. */
  latency: number[];
  latencyCount: number;
  latencySumMs: number;
}

export interface RollupQuery {
  /** Send hours from (inclusive) … to (exclusive), epoch ms. */
  from: number;
  to: number;
  /** A dimension, `hour` (one group per hour, to fold by hour of day or weekday), or null for one total. */
  by: RollupDimension | 'hour' | null;
  where?: Partial<Record<RollupDimension, string>>;
}

export interface ConversionInput {
  id: string;
  messageId: string;
  event: string;
  value: number | null;
  currency: string | null;
  source: 'api' | 'click';
  at: number;
}

export interface AnalyticsStore {
  /** Sums of the rollups in a range, per group and currency. */
  rollups(q: RollupQuery): Promise<RollupTotals[]>;
  /**
   * Stores a conversion once per id and counts it; returns the stored one (the earlier one when the
   * id was used before, with `stored: false`), or null when the message does not exist.
   */
  recordConversion(c: ConversionInput): Promise<{ stored: boolean; conversion: ConversionInput } | null>;
  /** The newest message with this reference, or null. */
  messageByReference(reference: string): Promise<string | null>;
  /** Counts a click on a tracked link and returns where it goes, or null for an unknown code. */
  recordClick(code: string, at: number): Promise<{ url: string; messageId: string } | null>;
}
