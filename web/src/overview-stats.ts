/**
 * @module overview-stats
 * The overview's figures, computed from the newest messages (GET /v1/messages): messages per
 * minute, today's delivery rate, failures by provider code and what today's sends cost. Pure, so
 * the arithmetic is tested apart from the page. When the list was cut short (a busy day has more
 * messages than the page loads), `truncated` says so and the page says "of the latest N".
 */
import type { Message, Money } from './types';

export interface OverviewStats {
  /** Oldest first, one entry per minute of the window, ending with the current minute. */
  perMinute: { start: number; count: number }[];
  today: { messages: number; delivered: number; undelivered: number; failed: number; pending: number };
  /** Delivered over delivered + undelivered + failed today; null before anything finished. */
  deliveryRate: number | null;
  failuresByCode: { code: string; message: string; count: number }[];
  /** Per currency; the provider's price when it reported one, else the estimate. */
  costToday: Money[];
  truncated: boolean;
}

const MINUTE = 60_000;
const PENDING = new Set(['queued', 'scheduled', 'sending']);

/** Whether a message was (or will be) paid for: the carrier took it. */
function billed(m: Message): boolean {
  if (m.status === 'sent' || m.status === 'delivered' || m.status === 'undelivered') return true;
  return m.status === 'failed' && m.providerMessageId !== null;
}

export function overviewStats(
  messages: readonly Message[],
  opts: { now: number; dayStart: number; minutes: number; truncated: boolean },
): OverviewStats {
  const currentMinute = Math.floor(opts.now / MINUTE) * MINUTE;
  const firstMinute = currentMinute - (opts.minutes - 1) * MINUTE;
  const perMinute = Array.from({ length: opts.minutes }, (_, i) => ({ start: firstMinute + i * MINUTE, count: 0 }));
  const today = { messages: 0, delivered: 0, undelivered: 0, failed: 0, pending: 0 };
  const failures = new Map<string, { code: string; message: string; count: number }>();
  const cost = new Map<string, number>();

  for (const m of messages) {
    const created = Date.parse(m.createdAt);
    if (created >= firstMinute && created < currentMinute + MINUTE) {
      const slot = perMinute[Math.floor((created - firstMinute) / MINUTE)];
      if (slot) slot.count++;
    }
    if (created < opts.dayStart) continue;
    today.messages++;
    if (m.status === 'delivered') today.delivered++;
    else if (m.status === 'undelivered') today.undelivered++;
    else if (m.status === 'failed') today.failed++;
    else if (PENDING.has(m.status)) today.pending++;
    if ((m.status === 'failed' || m.status === 'undelivered') && m.error) {
      const f = failures.get(m.error.code) ?? { code: m.error.code, message: m.error.message, count: 0 };
      f.count++;
      failures.set(m.error.code, f);
    }
    const money = m.price ?? m.cost;
    if (money && billed(m)) cost.set(money.currency, (cost.get(money.currency) ?? 0) + money.amount);
  }

  const finished = today.delivered + today.undelivered + today.failed;
  return {
    perMinute,
    today,
    deliveryRate: finished === 0 ? null : today.delivered / finished,
    failuresByCode: [...failures.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    // Sums of many small prices drift in binary floating point; a bill is read to 1/10,000.
    costToday: [...cost].map(([currency, amount]) => ({ currency, amount: Math.round(amount * 10_000) / 10_000 })),
    truncated: opts.truncated,
  };
}

/** Local midnight of the day `now` falls in. */
export function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}
