/**
 * @module app/analytics-report
 * The analytics table: what messages achieved over a range of send hours, in total or per
 * provider, template, variant, country, purpose, channel, hour of day or weekday. Everything is
 * derived from rollup sums (see ports/analytics-store), so a report over millions of messages reads
 * a few thousand rows at most. Definitions, kept in one place so the API, the CLI and the docs agree:
 *   deliveryRate    delivered / (delivered + undelivered + failed): of the outcomes known so far
 *   conversionRate  messages with a conversion / messages sent; clickRate likewise with clicks
 *   costPerDelivered cost / delivered, per currency
 *   median, p95     time from the provider accepting to the carrier reporting delivery, seconds,
 *                   interpolated in fixed buckets (core/delivery-latency)
 */
import { latencyQuantile } from '../core/delivery-latency.js';
import {
  EMPTY_ROLLUP_COUNTS,
  type AnalyticsStore,
  type RollupCounts,
  type RollupDimension,
  type RollupTotals,
} from '../ports/analytics-store.js';

export const BREAKDOWNS = [
  'provider',
  'template',
  'variant',
  'country',
  'purpose',
  'channel',
  'hour',
  'weekday',
] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export interface ReportQuery {
  from: number;
  to: number;
  /** IANA timezone for hour of day and weekday; UTC by default. */
  timezone?: string;
  where?: Partial<Record<RollupDimension, string>>;
}

export interface ReportRow extends RollupCounts {
  /** The group: a dimension's value (null for none), an hour of day (0–23) or a weekday (`mon`…). */
  key: string | number | null;
  deliveryRate: number | null;
  medianDeliverySeconds: number | null;
  p95DeliverySeconds: number | null;
  /** By currency; unpriced messages cost nothing and are left out. */
  cost: Record<string, number>;
  costPerDelivered: Record<string, number | null>;
  conversionRate: number | null;
  clickRate: number | null;
}

interface Group {
  counts: RollupCounts;
  latency: number[];
  /** Per currency: cost and the deliveries it bought. */
  money: Map<string, { cost: number; delivered: number }>;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? round(a / b) : null);
const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function addTo(groups: Map<string | number | null, Group>, key: string | number | null, t: RollupTotals): void {
  let g = groups.get(key);
  if (!g) {
    g = { counts: { ...t.counts }, latency: [...t.latency], money: new Map() };
    groups.set(key, g);
  } else {
    for (const k of Object.keys(g.counts) as (keyof RollupCounts)[]) g.counts[k] += t.counts[k];
    t.latency.forEach((n, i) => (g!.latency[i] = (g!.latency[i] ?? 0) + n));
  }
  if (t.currency !== '') {
    const m = g.money.get(t.currency) ?? { cost: 0, delivered: 0 };
    m.cost += t.cost;
    m.delivered += t.counts.delivered;
    g.money.set(t.currency, m);
  }
}

function toRow(key: string | number | null, g: Group): ReportRow {
  const c = g.counts;
  const cost: Record<string, number> = {};
  const costPerDelivered: Record<string, number | null> = {};
  for (const [currency, m] of [...g.money.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    cost[currency] = round(m.cost);
    costPerDelivered[currency] = ratio(m.cost, m.delivered);
  }
  const q = (p: number) => {
    const v = latencyQuantile(g.latency, p);
    return v === null ? null : Math.round(v * 1000) / 1000;
  };
  return {
    key,
    ...c,
    deliveryRate: ratio(c.delivered, c.delivered + c.undelivered + c.failed),
    medianDeliverySeconds: q(0.5),
    p95DeliverySeconds: q(0.95),
    cost,
    costPerDelivered,
    conversionRate: ratio(c.converted, c.sent),
    clickRate: ratio(c.clicked, c.sent),
  };
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const formats = new Map<string, Intl.DateTimeFormat>();

/** Hour of day and weekday of an hour's start in `timezone` (an offset of whole hours is exact). */
export function localHour(at: number, timezone: string): { hour: number; weekday: string } {
  let f = formats.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', hour: 'numeric', weekday: 'short' });
    formats.set(timezone, f);
  }
  const parts = f.formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const weekday = (parts.find((p) => p.type === 'weekday')?.value ?? 'Sun').slice(0, 3).toLowerCase();
  return { hour, weekday };
}

export async function analyticsSummary(deps: { analytics: AnalyticsStore }, q: ReportQuery): Promise<ReportRow> {
  const groups = new Map<string | number | null, Group>();
  for (const t of await deps.analytics.rollups({ from: q.from, to: q.to, by: null, where: q.where ?? {} })) {
    addTo(groups, null, t);
  }
  const g = groups.get(null);
  return toRow(null, g ?? { counts: EMPTY_ROLLUP_COUNTS, latency: [], money: new Map() });
}

export async function analyticsBreakdown(
  deps: { analytics: AnalyticsStore },
  q: ReportQuery & { by: Breakdown },
): Promise<ReportRow[]> {
  const byHour = q.by === 'hour' || q.by === 'weekday';
  const totals = await deps.analytics.rollups({
    from: q.from,
    to: q.to,
    by: byHour ? 'hour' : (q.by as RollupDimension),
    where: q.where ?? {},
  });
  const groups = new Map<string | number | null, Group>();
  const tz = q.timezone ?? 'UTC';
  for (const t of totals) {
    let key: string | number | null = t.group === '' ? null : t.group;
    if (byHour) {
      const local = localHour(Number(t.group), tz);
      key = q.by === 'hour' ? local.hour : local.weekday;
    }
    addTo(groups, key, t);
  }
  const rows = [...groups.entries()].map(([key, g]) => toRow(key, g));
  if (q.by === 'hour') return rows.sort((a, b) => Number(a.key) - Number(b.key));
  if (q.by === 'weekday') return rows.sort((a, b) => weekdayIndex(a.key) - weekdayIndex(b.key));
  return rows.sort((a, b) => b.sent - a.sent || String(a.key).localeCompare(String(b.key)));
}

/** What the messages due today (UTC) have cost so far, by currency: the spend gauge and its alert. */
export async function spendToday(analytics: AnalyticsStore, now: number): Promise<Record<string, number>> {
  const from = now - (now % 86_400_000);
  const out: Record<string, number> = {};
  for (const t of await analytics.rollups({ from, to: from + 86_400_000, by: null })) {
    if (t.currency !== '') out[t.currency] = round((out[t.currency] ?? 0) + t.cost);
  }
  return out;
}

/** Monday first, as ISO weeks and most calendars outside the US have it. */
const weekdayIndex = (k: string | number | null): number => (WEEKDAYS.indexOf(String(k)) + 6) % 7;
