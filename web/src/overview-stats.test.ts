import { describe, expect, it } from 'vitest';
import { costList, failuresByCode, hourlyTraffic, perMinuteThisHour } from './overview-stats';
import type { Message, ReportRow } from './types';

function row(key: number | string | null, accepted: number): ReportRow {
  return {
    key,
    accepted,
    sent: accepted,
    delivered: 0,
    undelivered: 0,
    failed: 0,
    deliveryRate: null,
    medianDeliverySeconds: null,
    p95DeliverySeconds: null,
    segments: accepted,
    cost: {},
    replies: 0,
    optOuts: 0,
    conversions: 0,
    converted: 0,
    conversionRate: null,
  };
}

function failed(code: string, message = 'x'): Message {
  return {
    id: `msg_${code}_${Math.random()}`,
    status: 'failed',
    channel: 'sms',
    purpose: 'transactional',
    to: '+14155552671',
    from: null,
    body: 'hi',
    encoding: 'GSM-7',
    segments: 1,
    sendAt: null,
    reference: null,
    provider: 'sim:default',
    providerMessageId: null,
    attempts: 1,
    template: null,
    cost: null,
    price: null,
    error: { code, message },
    createdAt: '2026-11-24T14:00:00Z',
    updatedAt: '2026-11-24T14:00:00Z',
  };
}

describe('hourlyTraffic', () => {
  it('puts each hour row in its slot of 24 and leaves quiet hours at zero', () => {
    const hours = hourlyTraffic([row(9, 120_000), row(14, 5), row(null, 7), row(25, 3)]);
    expect(hours).toHaveLength(24);
    expect(hours[9]).toEqual({ hour: 9, count: 120_000 });
    expect(hours[14]?.count).toBe(5);
    expect(hours.reduce((n, h) => n + h.count, 0)).toBe(120_005);
  });
});

describe('perMinuteThisHour', () => {
  const rows = [row(13, 600), row(14, 300)];
  it("divides the current hour's count by the minutes it has run", () => {
    expect(perMinuteThisHour(rows, Date.parse('2026-11-24T14:30:00Z'), 14)).toBe(10);
  });
  it('counts at least a minute at the top of the hour', () => {
    expect(perMinuteThisHour(rows, Date.parse('2026-11-24T14:00:06Z'), 14)).toBe(300);
  });
  it('reads zero for an hour with no row', () => {
    expect(perMinuteThisHour(rows, Date.parse('2026-11-24T15:10:00Z'), 15)).toBe(0);
  });
});

describe('failuresByCode', () => {
  it('counts by code, most frequent first, ties by code', () => {
    const list = [failed('30003', 'Unreachable'), failed('21211', 'Invalid'), failed('30003'), failed('30007')];
    expect(failuresByCode(list)).toEqual([
      { code: '30003', message: 'Unreachable', count: 2 },
      { code: '21211', message: 'Invalid', count: 1 },
      { code: '30007', message: 'x', count: 1 },
    ]);
  });
});

describe('costList', () => {
  it('lists currencies largest first, rounded to 1/10,000 so float drift never shows', () => {
    expect(costList({ USD: 0.1 + 0.2, CNY: 1.5 })).toEqual([
      { currency: 'CNY', amount: 1.5 },
      { currency: 'USD', amount: 0.3 },
    ]);
  });
});
