/**
 * Analytics on a generated data set of 100,000 messages with known outcomes, written through the
 * real write paths in bulk (accept, send results, final failures, provider reports, replies,
 * conversions, clicks), on SQLite and on PostgreSQL when it answers. Every figure the reports give
 * is checked against what this file computes by hand from the outcomes it chose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_BOUNDS_S } from '../core/delivery-latency.js';
import type { Message } from '../core/message.js';
import { analyticsBreakdown, analyticsSummary, type Breakdown, type ReportRow } from '../app/analytics-report.js';
import { makeMessage } from '../../test/support/messages.js';
import { storageBackends } from '../../test/support/backends.js';
import { AnalyticsRepository } from './analytics-repository.js';
import type { Storage } from './connect.js';
import { InboundRepository } from './inbound-repository.js';
import { MessageRepository } from './message-repository.js';

const N = Number(process.env.TIDINGS_ANALYTICS_N ?? 100_000);
const H = 3_600_000;
const T0 = Date.UTC(2030, 0, 7); // a Monday, 00:00 UTC
const PROVIDERS = ['twilio:primary', 'sim:default', 'aliyun:cn'];
const COUNTRIES = ['US', 'GB', 'CN', 'DE'];

type Outcome = 'refused' | 'delivered' | 'undelivered' | 'failed' | 'pending';

/** Everything about message i, decided by i alone. */
function plan(i: number) {
  const createdAt = T0 + Math.floor((i * 48 * H) / N);
  const scheduled = i % 10 === 3;
  const sendAt = scheduled ? createdAt + 5 * H + 17_000 : null;
  const due = sendAt ?? createdAt;
  const email = i % 50 === 7;
  const country = email ? null : (COUNTRIES[i % 4] as string);
  const segments = email ? 1 : 1 + (i % 3 === 0 ? 1 : 0);
  const currency = country === 'CN' ? 'CNY' : 'USD';
  const templated = i % 5 < 3;
  const o = i % 20;
  const outcome: Outcome =
    o === 0 ? 'refused' : o === 2 || o === 3 ? 'undelivered' : o === 4 ? 'failed' : o === 5 ? 'pending' : 'delivered';
  const transient = o === 1;
  const sentAt = due + 1_000 + (transient ? 30_000 : 0);
  // Spread over seconds to minutes, and a few that arrive hours later (late callbacks).
  const latencyMs = i % 97 === 0 ? 5 * H + 123 : ((i * 7919) % 600) * 1000 + (i % 1000);
  const priced = i % 11 === 0;
  return {
    id: `msg_${String(i).padStart(26, '0')}`,
    i,
    createdAt,
    sendAt,
    hour: Math.floor(due / H) * H,
    provider: PROVIDERS[i % 3] as string,
    channel: email ? 'email' : 'sms',
    country,
    purpose: i % 7 === 0 ? 'marketing' : 'transactional',
    template: templated ? 'reminder' : null,
    variant: templated ? (i % 2 === 0 ? 'a' : 'b') : null,
    segments,
    cost: { amount: 0.01 * segments, currency },
    price: priced ? { amount: 0.015, currency } : null,
    outcome,
    transient,
    sentAt,
    latencyMs,
    replied: outcome === 'delivered' && i % 13 === 0,
    optedOut: outcome === 'delivered' && i % 39 === 0,
    conversions: outcome === 'delivered' && i % 9 === 0 ? (i % 18 === 0 ? 2 : 1) : 0,
    link: i % 8 === 0,
    clicks: i % 8 === 0 && outcome === 'delivered' ? (i % 16 === 0 ? (i % 32 === 0 ? 2 : 1) : 0) : 0,
  };
}
type Plan = ReturnType<typeof plan>;
const plans = Array.from({ length: N }, (_, i) => plan(i));

function toMessage(p: Plan): Message {
  return makeMessage({
    id: p.id,
    channel: p.channel as Message['channel'],
    purpose: p.purpose as Message['purpose'],
    to: p.channel === 'email' ? 'someone@example.com' : '+14155552671',
    segments: p.segments,
    status: p.sendAt === null ? 'queued' : 'scheduled',
    sendAt: p.sendAt,
    createdAt: p.createdAt,
    updatedAt: p.createdAt,
    template: p.template ? { name: p.template, version: 1, variant: p.variant, locale: 'default', data: {} } : null,
    cost: p.cost,
    country: p.country,
    ...(p.link
      ? { links: [{ code: `c${String(p.i).padStart(9, '0')}`, url: `https://shop.example.com/o/${p.i}` }] }
      : {}),
  });
}

async function inParallel<T>(items: readonly T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let k = 0; k < items.length; k += size) await Promise.all(items.slice(k, k + size).map(fn));
}

/** Writes the whole data set through the repositories, as the use cases would. */
async function writeDataSet(storage: Storage): Promise<void> {
  const repo = new MessageRepository(storage);
  const inbound = new InboundRepository(storage);
  const analytics = new AnalyticsRepository(storage);
  for (let k = 0; k < N; k += 1_000) await repo.accept(plans.slice(k, k + 1_000).map(toMessage), null);
  await inParallel(
    plans.filter((p) => p.transient),
    2_000,
    (p) =>
      repo.recordFailure({
        id: p.id,
        provider: p.provider,
        attempt: 1,
        at: p.sentAt - 30_000,
        kind: 'transient',
        errorCode: '503',
        errorMessage: 'try again',
        retryAt: p.sentAt,
      }),
  );
  await inParallel(
    plans.filter((p) => p.outcome === 'refused'),
    2_000,
    (p) =>
      repo.recordFailure({
        id: p.id,
        provider: p.provider,
        attempt: 1,
        at: p.sentAt,
        kind: 'invalid_recipient',
        errorCode: '21211',
        errorMessage: 'invalid',
      }),
  );
  await inParallel(
    plans.filter((p) => p.outcome !== 'refused'),
    5_000,
    (p) =>
      repo.recordSent({
        id: p.id,
        provider: p.provider,
        providerMessageId: `pm_${p.i}`,
        status: 'sent',
        attempt: p.transient ? 2 : 1,
        at: p.sentAt,
        latencyMs: 40,
        price: p.price,
      }),
  );
  // Reports come in batches per provider, out of order, with duplicates that must change nothing.
  for (const provider of PROVIDERS) {
    const reports = plans
      .filter((p) => p.provider === provider && p.outcome !== 'refused' && p.outcome !== 'pending')
      .flatMap((p) => {
        const status = p.outcome as 'delivered' | 'undelivered' | 'failed';
        const r = {
          providerMessageId: `pm_${p.i}`,
          status,
          errorCode: status === 'delivered' ? null : '30003',
          errorMessage: null,
          at: p.sentAt + p.latencyMs,
          detail: {},
        };
        return p.i % 25 === 0 ? [r, { ...r, at: r.at + 10 }] : [r];
      })
      .reverse();
    for (let k = 0; k < reports.length; k += 1_000) await repo.applyStatus(provider, reports.slice(k, k + 1_000));
  }
  await inParallel(
    plans.filter((p) => p.replied || p.optedOut),
    2_000,
    (p) =>
      inbound.insert({
        id: `in_${p.i}`,
        provider: p.provider,
        providerMessageId: `mo_${p.i}`,
        from: '+14155552671',
        to: null,
        body: p.optedOut ? 'STOP' : 'thanks',
        receivedAt: p.sentAt + p.latencyMs + 60_000,
        inReplyTo: p.id,
        reference: null,
        keyword: p.optedOut ? 'opt_out' : null,
        intent: null,
        sentiment: null,
        sentimentScore: null,
        autoReply: null,
      }),
  );
  const conversions = plans.flatMap((p) =>
    Array.from({ length: p.conversions }, (_, k) => ({ p, id: `cv_${p.i}_${k}` })),
  );
  // Every 27th is reported twice with the same id: idempotent, counted once.
  const repeated = conversions.filter(({ p }) => p.i % 27 === 0);
  await inParallel([...conversions, ...repeated], 2_000, ({ p, id }) =>
    analytics.recordConversion({
      id,
      messageId: p.id,
      event: 'booked',
      value: 20,
      currency: 'USD',
      source: 'api',
      at: p.sentAt + H,
    }),
  );
  const clicks = plans.flatMap((p) => Array.from({ length: p.clicks }, () => p));
  await inParallel(clicks, 2_000, (p) => analytics.recordClick(`c${String(p.i).padStart(9, '0')}`, p.sentAt + 600_000));
}

/** The expected report row for a set of messages, computed straight from their plans. */
function expected(ps: Plan[]) {
  const sent = ps.filter((p) => p.outcome !== 'refused');
  const delivered = ps.filter((p) => p.outcome === 'delivered');
  const undelivered = ps.filter((p) => p.outcome === 'undelivered').length;
  const failed = ps.filter((p) => p.outcome === 'failed' || p.outcome === 'refused').length;
  const cost: Record<string, number> = {};
  const deliveredBy: Record<string, number> = {};
  for (const p of sent) {
    const money = p.price ?? p.cost;
    cost[money.currency] = (cost[money.currency] ?? 0) + money.amount;
  }
  for (const p of delivered) deliveredBy[p.cost.currency] = (deliveredBy[p.cost.currency] ?? 0) + 1;
  const converted = ps.filter((p) => p.conversions > 0).length;
  const clicked = ps.filter((p) => p.clicks > 0).length;
  const latencies = delivered.map((p) => p.latencyMs / 1000).sort((a, b) => a - b);
  return {
    accepted: ps.length,
    sent: sent.length,
    delivered: delivered.length,
    undelivered,
    failed,
    segments: sent.filter((p) => p.channel === 'sms').reduce((a, p) => a + p.segments, 0),
    replies: ps.filter((p) => p.replied || p.optedOut).length,
    optOuts: ps.filter((p) => p.optedOut).length,
    conversions: ps.reduce((a, p) => a + p.conversions, 0),
    converted,
    clicks: ps.reduce((a, p) => a + p.clicks, 0),
    clicked,
    deliveryRate: delivered.length / (delivered.length + undelivered + failed),
    conversionRate: converted / sent.length,
    clickRate: clicked / sent.length,
    cost,
    costPerDelivered: Object.fromEntries(Object.entries(cost).map(([c, v]) => [c, v / (deliveredBy[c] ?? 0)])),
    latencies,
  };
}

/** The bounds of the histogram bucket that holds the exact q-quantile of sorted values. */
function bucketAround(sorted: number[], q: number): [number, number] {
  const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
  const i = LATENCY_BOUNDS_S.findIndex((b) => exact <= b);
  return [i <= 0 ? 0 : (LATENCY_BOUNDS_S[i - 1] as number), (LATENCY_BOUNDS_S[i] as number | undefined) ?? Infinity];
}

function check(row: ReportRow, ps: Plan[]): void {
  const e = expected(ps);
  for (const k of [
    'accepted',
    'sent',
    'delivered',
    'undelivered',
    'failed',
    'segments',
    'replies',
    'optOuts',
    'conversions',
    'converted',
    'clicks',
    'clicked',
  ] as const) {
    expect(row[k], `${String(row.key)} ${k}`).toBe(e[k]);
  }
  expect(row.deliveryRate).toBeCloseTo(e.deliveryRate, 6);
  expect(row.conversionRate).toBeCloseTo(e.conversionRate, 6);
  expect(row.clickRate).toBeCloseTo(e.clickRate, 6);
  expect(Object.keys(row.cost).sort()).toEqual(Object.keys(e.cost).sort());
  for (const [c, v] of Object.entries(e.cost)) {
    expect(row.cost[c]).toBeCloseTo(v, 5);
    expect(row.costPerDelivered[c]).toBeCloseTo(e.costPerDelivered[c] as number, 5);
  }
  for (const [q, got] of [
    [0.5, row.medianDeliverySeconds],
    [0.95, row.p95DeliverySeconds],
  ] as const) {
    const [lo, hi] = bucketAround(e.latencies, q);
    expect(got, `${String(row.key)} q${q}`).not.toBeNull();
    expect(got!).toBeGreaterThanOrEqual(lo);
    expect(got!).toBeLessThanOrEqual(hi);
  }
}

const range = { from: T0 - 24 * H, to: T0 + 96 * H };

describe.each(await storageBackends())('analytics over 100,000 messages on $name', (backend) => {
  let storage: Storage;
  let deps: { analytics: AnalyticsRepository };

  beforeAll(async () => {
    storage = await backend.open();
    deps = { analytics: new AnalyticsRepository(storage) };
    await writeDataSet(storage);
  }, 600_000);
  afterAll(() => storage?.close());

  it('totals every figure of the summary', async () => {
    check(await analyticsSummary(deps, range), plans);
  });

  it('agrees with the message rows themselves', async () => {
    const summary = await analyticsSummary(deps, range);
    const rows = await storage.db
      .selectFrom('messages')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    expect(summary.delivered).toBe(count('delivered'));
    expect(summary.undelivered).toBe(count('undelivered'));
    expect(summary.failed).toBe(count('failed'));
  });

  const groupings: [Breakdown, (p: Plan) => string | number | null][] = [
    ['provider', (p) => p.provider],
    ['template', (p) => p.template],
    ['variant', (p) => p.variant],
    ['country', (p) => p.country],
    ['purpose', (p) => p.purpose],
    ['channel', (p) => p.channel],
    ['hour', (p) => new Date(p.hour).getUTCHours()],
    ['weekday', (p) => ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(p.hour).getUTCDay()] as string],
  ];

  it.each(groupings)('breaks down by %s', async (by, keyOf) => {
    const rows = await analyticsBreakdown(deps, { ...range, by });
    const groups = new Map<string | number | null, Plan[]>();
    for (const p of plans) {
      const list = groups.get(keyOf(p));
      if (list) list.push(p);
      else groups.set(keyOf(p), [p]);
    }
    if (by === 'provider') {
      // Acceptance happens before a provider is chosen: accepted counts sit under "no provider".
      const none = rows.find((r) => r.key === null);
      expect(none?.accepted).toBe(N);
      for (const r of rows.filter((x) => x.key !== null)) {
        const ps = groups.get(r.key) ?? [];
        const e = expected(ps);
        expect(r.sent).toBe(e.sent);
        expect(r.delivered).toBe(e.delivered);
        expect(r.failed).toBe(e.failed);
        expect(r.conversions).toBe(e.conversions);
        expect(r.deliveryRate).toBeCloseTo(e.deliveryRate, 6);
      }
      return;
    }
    expect(rows.map((r) => r.key).sort()).toEqual([...groups.keys()].sort());
    for (const r of rows) check(r, groups.get(r.key) ?? []);
  });

  it('filters by a dimension and counts only the hours asked for', async () => {
    const row = await analyticsSummary(deps, { ...range, where: { template: 'reminder', variant: 'b' } });
    check(
      row,
      plans.filter((p) => p.template === 'reminder' && p.variant === 'b'),
    );
    const firstDay = { from: T0, to: T0 + 24 * H };
    check(
      await analyticsSummary(deps, firstDay),
      plans.filter((p) => p.hour >= firstDay.from && p.hour < firstDay.to),
    );
  });

  it('folds hours into the local hour of day of a timezone', async () => {
    const rows = await analyticsBreakdown(deps, { ...range, by: 'hour', timezone: 'Asia/Shanghai' });
    const at8 = rows.find((r) => r.key === 8);
    expect(at8?.accepted).toBe(plans.filter((p) => new Date(p.hour).getUTCHours() === 0).length);
  });
});

describe.each(await storageBackends())('late status callbacks on $name', (backend) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await backend.open();
  });
  afterAll(() => storage?.close());

  it('count in the hour the message was due, however late they come, and only once', async () => {
    const repo = new MessageRepository(storage);
    const deps = { analytics: new AnalyticsRepository(storage) };
    const ten = Date.UTC(2031, 5, 2, 10);
    const early = makeMessage({ createdAt: ten - 3 * H, sendAt: ten + 60_000, status: 'scheduled', country: 'US' });
    await repo.accept([early], null);
    await repo.recordSent({
      id: early.id,
      provider: 'twilio:primary',
      providerMessageId: 'SM-late',
      status: 'sent',
      attempt: 1,
      at: ten + 61_000,
      latencyMs: 30,
    });
    // Six and a half hours later, while other traffic fills the later hour.
    const later = makeMessage({ createdAt: ten + 6.5 * H, country: 'US' });
    await repo.accept([later], null);
    const report = {
      providerMessageId: 'SM-late',
      status: 'delivered' as const,
      errorCode: null,
      errorMessage: null,
      at: ten + 61_000 + 6.5 * H,
      detail: {},
    };
    await repo.applyStatus('twilio:primary', [report]);
    await repo.applyStatus('twilio:primary', [{ ...report, at: report.at + 1 }]); // the provider retries it
    const rows = await analyticsBreakdown(deps, { from: ten - 6 * H, to: ten + 12 * H, by: 'hour' });
    expect(rows.map((r) => [r.key, r.accepted, r.sent, r.delivered])).toEqual([
      [10, 1, 1, 1],
      [16, 1, 0, 0],
    ]);
    // 6.5 h lies in the (4 h, 12 h] bucket.
    const at10 = rows[0]!;
    expect(at10.medianDeliverySeconds).toBeGreaterThan(14_400);
    expect(at10.medianDeliverySeconds).toBeLessThanOrEqual(43_200);
    // A range that holds only the callback's hour sees nothing of it.
    const callbackHour = await analyticsSummary(deps, { from: ten + 6 * H, to: ten + 7 * H });
    expect(callbackHour.delivered).toBe(0);
  });
});
