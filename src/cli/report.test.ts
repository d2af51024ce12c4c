import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, TEST_KEY, waitFor, type Tidings } from '../../test/support/harness.js';
import { fetchReport, formatCsv, formatTable, type ReportRow } from './report.js';

const row = (over: Partial<ReportRow>): ReportRow => ({
  key: null,
  sent: 0,
  delivered: 0,
  failed: 0,
  undelivered: 0,
  deliveryRate: null,
  medianDeliverySeconds: null,
  p95DeliverySeconds: null,
  segments: 0,
  cost: {},
  costPerDelivered: {},
  replies: 0,
  optOuts: 0,
  conversions: 0,
  conversionRate: null,
  ...over,
});

describe('tidings report formatting', () => {
  const rows = [
    row({
      key: 'twilio:primary',
      sent: 1200,
      delivered: 1128,
      failed: 30,
      undelivered: 42,
      deliveryRate: 0.94,
      medianDeliverySeconds: 3.25,
      p95DeliverySeconds: 12.5,
      segments: 1500,
      cost: { USD: 12.45 },
      costPerDelivered: { USD: 0.011037 },
      conversions: 96,
      conversionRate: 0.08,
    }),
    row({ key: null, sent: 0 }),
  ];

  it('aligns a table with the group first', () => {
    const text = formatTable(rows, 'provider');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^provider\s+sent\s+delivered\s+failed\s+delivery\s+median s\s+p95 s/);
    expect(lines[2]).toMatch(
      /^twilio:primary\s+1200\s+1128\s+72\s+94\.0 %\s+3\.3\s+12\.5\s+1500\s+12\.45 USD\s+0\.0110 USD/,
    );
    expect(lines[3]).toMatch(/^\(none\)\s+0\s+0\s+0\s+-\s+-\s+-/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('writes RFC 4180 CSV with a cost column per currency, and defuses formulas', () => {
    const csv = formatCsv([...rows, row({ key: '=HYPERLINK("x")', cost: { CNY: 1 } })], 'template');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'template,sent,delivered,failed,undelivered,deliveryRate,medianDeliverySeconds,p95DeliverySeconds,segments,replies,optOuts,conversions,conversionRate,cost_CNY,costPerDelivered_CNY,cost_USD,costPerDelivered_USD',
    );
    expect(lines[1]).toBe('twilio:primary,1200,1128,30,42,0.94,3.25,12.5,1500,0,0,96,0.08,0,,12.45,0.011037');
    expect(lines[3]).toMatch(/^"'=HYPERLINK\(""x""\)",/);
    expect(lines.at(-1)).toBe('');
  });
});

describe('tidings report against a running server', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings();
  });
  afterAll(() => t.stop());

  it('reads the summary and a breakdown through the API', async () => {
    for (const to of ['+14155550501', '+14155550502', '+14155550006']) {
      expect((await t.api('POST', '/v1/messages', { to, body: 'Report me' })).status).toBe(202);
    }
    const target = { url: t.url, key: TEST_KEY };
    const [total] = await waitFor(
      () => fetchReport(target, {}),
      (r) => (r[0]?.delivered ?? 0) + (r[0]?.undelivered ?? 0) === 3,
    );
    expect(total).toMatchObject({ sent: 3, delivered: 2, undelivered: 1 });
    expect(total!.deliveryRate).toBeCloseTo(2 / 3, 6);
    const byProvider = await fetchReport(target, {
      by: 'provider',
      from: new Date(Date.now() - 86_400_000).toISOString(),
      tz: 'UTC',
    });
    expect(byProvider.find((r) => r.key === 'sim:default')).toMatchObject({ sent: 3 });
    await expect(fetchReport(target, { by: 'colour' })).rejects.toThrow(/validation_failed/);
  });
});
