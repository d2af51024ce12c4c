import { describe, expect, it } from 'vitest';
import { routeFor, stickySender, type RoutingTable } from './routing.js';

const providers = [
  { id: 'twilio:main', channel: 'sms' as const },
  { id: 'twilio:canary', channel: 'sms' as const },
  { id: 'sns:default', channel: 'sms' as const },
  { id: 'aliyun:default', channel: 'sms' as const },
  { id: 'tencent:default', channel: 'sms' as const },
  { id: 'smtp:default', channel: 'email' as const },
];

const table: RoutingTable = {
  rules: [
    {
      channel: 'sms',
      countries: ['CN'],
      providers: [
        { provider: 'aliyun:default', weight: null },
        { provider: 'tencent:default', weight: null },
      ],
    },
    {
      channel: 'sms',
      countries: null,
      providers: [
        { provider: 'twilio:main', weight: 90 },
        { provider: 'twilio:canary', weight: 10 },
        { provider: 'sns:default', weight: null },
      ],
    },
  ],
  senders: { 'twilio:main': ['+15550000001', '+15550000002', '+15550000003'] },
};

const ids = Array.from({ length: 10_000 }, (_, i) => `msg_01JH${String(i).padStart(22, '0')}`);

describe('routeFor', () => {
  it('sends +86 to Aliyun then Tencent', () => {
    expect(routeFor(table, providers, { id: 'm1', channel: 'sms', country: 'CN' })).toEqual([
      'aliyun:default',
      'tencent:default',
    ]);
  });

  it('splits the rest 90/10 between two accounts, with the other and SNS as failover', () => {
    let canary = 0;
    for (const id of ids) {
      const order = routeFor(table, providers, { id, channel: 'sms', country: 'US' });
      expect(order).toHaveLength(3);
      expect(order[2]).toBe('sns:default');
      if (order[0] === 'twilio:canary') {
        canary++;
        expect(order[1]).toBe('twilio:main');
      } else expect(order).toEqual(['twilio:main', 'twilio:canary', 'sns:default']);
    }
    expect(canary / ids.length).toBeGreaterThan(0.085);
    expect(canary / ids.length).toBeLessThan(0.115);
  });

  it('gives a message the same order every time', () => {
    const a = routeFor(table, providers, { id: 'msg_X', channel: 'sms', country: 'GB' });
    const b = routeFor(table, providers, { id: 'msg_X', channel: 'sms', country: 'GB' });
    expect(a).toEqual(b);
  });

  it('without a matching rule, uses every provider of the channel in configuration order', () => {
    expect(routeFor(table, providers, { id: 'm', channel: 'email', country: null })).toEqual(['smtp:default']);
    expect(routeFor({ rules: [], senders: {} }, providers, { id: 'm', channel: 'sms', country: 'US' })).toEqual([
      'twilio:main',
      'twilio:canary',
      'sns:default',
      'aliyun:default',
      'tencent:default',
    ]);
  });

  it('leaves out weight-0 entries and providers that are not configured', () => {
    const t: RoutingTable = {
      rules: [
        {
          channel: null,
          countries: null,
          providers: [
            { provider: 'gone:x', weight: null },
            { provider: 'twilio:canary', weight: 0 },
            { provider: 'sns:default', weight: null },
          ],
        },
      ],
      senders: {},
    };
    expect(routeFor(t, providers, { id: 'm', channel: 'sms', country: 'US' })).toEqual(['sns:default']);
  });
});

describe('stickySender', () => {
  it('keeps one sender per recipient and spreads recipients over the pool', () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 3_000; i++) {
      const to = `+1415555${String(i).padStart(4, '0')}`;
      const s = stickySender(table, 'twilio:main', to);
      expect(stickySender(table, 'twilio:main', to)).toBe(s);
      seen.set(s!, (seen.get(s!) ?? 0) + 1);
    }
    expect(seen.size).toBe(3);
    for (const n of seen.values()) expect(n).toBeGreaterThan(800);
    expect(stickySender(table, 'sns:default', '+14155550000')).toBeNull();
  });
});
