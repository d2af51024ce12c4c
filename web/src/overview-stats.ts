/**
 * @module overview-stats
 * The overview's figures, shaped from the analytics API (GET /v1/analytics/summary and
 * /breakdown), which reads hourly rollups and so is exact at any volume: traffic per send hour,
 * the current hour's rate per minute, today's spend, each provider's day. Failure codes are not in
 * the rollups; they come from the newest failed messages, and `failuresTruncated` says when there
 * were more than the page read. Pure, so the arithmetic is tested apart from the page.
 */
import type { Message, Money, ReportRow } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Messages accepted per hour of today (0–23, in the reader's zone), from a breakdown by `hour`. */
export function hourlyTraffic(rows: readonly ReportRow[]): { hour: number; count: number }[] {
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0 }));
  for (const r of rows) {
    const slot = typeof r.key === 'number' ? hours[r.key] : undefined;
    if (slot) slot.count += r.accepted;
  }
  return hours;
}

/**
 * Messages per minute so far in the current hour: the hour's count over the minutes it has run
 * (at least one, so the first seconds of an hour do not read as a burst).
 */
export function perMinuteThisHour(rows: readonly ReportRow[], now: number, localHour: number): number {
  const row = rows.find((r) => r.key === localHour);
  const minutes = Math.max(1, (now % HOUR) / MINUTE);
  return (row?.accepted ?? 0) / minutes;
}

export interface FailureCount {
  code: string;
  message: string;
  count: number;
}

/** Failed and undelivered messages counted by the provider's (or Tidings') error code, most first. */
export function failuresByCode(messages: readonly Message[]): FailureCount[] {
  const failures = new Map<string, FailureCount>();
  for (const m of messages) {
    if (!m.error) continue;
    const f = failures.get(m.error.code) ?? { code: m.error.code, message: m.error.message, count: 0 };
    f.count++;
    failures.set(m.error.code, f);
  }
  return [...failures.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** A report's cost (by currency) as a list, largest first; a bill is read to 1/10,000. */
export function costList(cost: Record<string, number>): Money[] {
  return Object.entries(cost)
    .map(([currency, amount]) => ({ currency, amount: Math.round(amount * 10_000) / 10_000 }))
    .sort((a, b) => b.amount - a.amount || a.currency.localeCompare(b.currency));
}

/** Local midnight of the day `now` falls in. */
export function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The hour the rollups count `at` in: send hours are whole UTC hours. */
export function startOfHour(at: number): number {
  return Math.floor(at / HOUR) * HOUR;
}
