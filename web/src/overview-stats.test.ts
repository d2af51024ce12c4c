import { describe, expect, it } from 'vitest';
import { overviewStats } from './overview-stats';
import type { Message } from './types';

const NOW = Date.parse('2026-11-24T14:30:30Z');
const DAY = Date.parse('2026-11-24T00:00:00Z');

function msg(over: Partial<Message> & { createdAt: string }): Message {
  return {
    id: `msg_${Math.random()}`,
    status: 'delivered',
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
    providerMessageId: 'SIM1',
    attempts: 1,
    template: null,
    cost: { amount: 0.0083, currency: 'USD' },
    price: null,
    error: null,
    updatedAt: over.createdAt,
    ...over,
  };
}

describe('overviewStats', () => {
  const messages = [
    msg({ createdAt: '2026-11-24T14:30:10Z' }),
    msg({ createdAt: '2026-11-24T14:30:01Z', status: 'queued', providerMessageId: null }),
    msg({ createdAt: '2026-11-24T14:29:59Z', status: 'undelivered', error: { code: '30003', message: 'Unreachable' } }),
    msg({
      createdAt: '2026-11-24T14:28:00Z',
      status: 'failed',
      providerMessageId: null,
      error: { code: '21211', message: 'Invalid' },
    }),
    msg({
      createdAt: '2026-11-24T14:27:00Z',
      status: 'failed',
      providerMessageId: null,
      error: { code: '21211', message: 'Invalid' },
    }),
    msg({ createdAt: '2026-11-24T13:00:00Z', price: { amount: 0.05, currency: 'CNY' } }),
    msg({ createdAt: '2026-11-23T23:59:00Z' }),
  ];
  const stats = overviewStats(messages, { now: NOW, dayStart: DAY, minutes: 5, truncated: false });

  it('counts messages per minute over the window, oldest first, ending with the current minute', () => {
    expect(stats.perMinute.map((p) => new Date(p.start).toISOString().slice(11, 16))).toEqual([
      '14:26',
      '14:27',
      '14:28',
      '14:29',
      '14:30',
    ]);
    expect(stats.perMinute.map((p) => p.count)).toEqual([0, 1, 1, 1, 2]);
  });

  it('counts only today for the day figures', () => {
    expect(stats.today).toEqual({ messages: 6, delivered: 2, undelivered: 1, failed: 2, pending: 1 });
    expect(stats.deliveryRate).toBeCloseTo(2 / 5);
  });

  it('groups failures by provider code, most frequent first', () => {
    expect(stats.failuresByCode).toEqual([
      { code: '21211', message: 'Invalid', count: 2 },
      { code: '30003', message: 'Unreachable', count: 1 },
    ]);
  });

  it('adds up what the carrier took, per currency, preferring a reported price', () => {
    // Two delivered/undelivered USD estimates; the refused and the queued ones cost nothing yet.
    expect(stats.costToday).toEqual([
      { currency: 'USD', amount: 0.0166 },
      { currency: 'CNY', amount: 0.05 },
    ]);
  });

  it('has no delivery rate before anything finished', () => {
    const none = overviewStats([msg({ createdAt: '2026-11-24T14:30:00Z', status: 'queued' })], {
      now: NOW,
      dayStart: DAY,
      minutes: 60,
      truncated: true,
    });
    expect(none.deliveryRate).toBeNull();
    expect(none.perMinute).toHaveLength(60);
    expect(none.truncated).toBe(true);
  });
});
