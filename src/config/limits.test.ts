import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../core/limits-policy.js';
import { loadConfig } from './index.js';
import { parseLimits } from './limits.js';

const H = 3_600_000;

describe('protection settings', () => {
  it('starts from the documented defaults', () => {
    const p = parseLimits({});
    expect(p.apiRequests).toBeNull();
    expect(p.apiMessages).toBeNull();
    expect(p.recipient.otp).toEqual([
      { points: 1, windowMs: 60_000 },
      { points: 5, windowMs: H },
      { points: 10, windowMs: 24 * H },
    ]);
    expect(p.recipient.transactional).toEqual([]);
    expect(p.recipient.marketing).toEqual([
      { points: 1, windowMs: H },
      { points: 3, windowMs: 24 * H },
    ]);
    expect(p.duplicateWindowMs).toBe(600_000);
    expect(p.quietHours).toEqual({ marketing: { startMinute: 1260, endMinute: 480 } });
    expect(p.allowedCountries).toBeNull();
    expect(p.pumping?.purposes).toEqual(new Set(['otp']));
    expect(p.pumping?.perPrefix).toEqual({ points: 20, windowMs: H });
    expect(p.spend).toEqual(DEFAULT_LIMITS.spend);
    expect(p.pacing).toBe(true);
  });

  it('reads every variable', () => {
    const p = parseLimits({
      TIDINGS_API_REQUEST_LIMIT: '6000/1m',
      TIDINGS_API_MESSAGE_LIMIT: '3000/1m',
      TIDINGS_RECIPIENT_LIMITS: 'transactional=10/1h,50/1d; marketing=off',
      TIDINGS_DUPLICATE_WINDOW: '30s',
      TIDINGS_QUIET_HOURS: 'transactional=22:00-07:00; marketing=off',
      TIDINGS_ALLOWED_COUNTRIES: 'us, ca,GB',
      TIDINGS_PUMPING_PURPOSES: 'otp,transactional',
      TIDINGS_PUMPING_PREFIX_LIMIT: '5/10m',
      TIDINGS_PUMPING_COUNTRY_LIMIT: 'off',
      TIDINGS_PUMPING_COOL_OFF: '2h',
      TIDINGS_SPEND_DAY_LIMIT: '100 USD, 700 CNY',
      TIDINGS_SPEND_MONTH_LIMIT: '2000 USD',
      TIDINGS_SPEND_SOFT_PERCENT: '90',
      TIDINGS_LIMITS_TIMEZONE: 'Asia/Shanghai',
      TIDINGS_PACING: '+15551234567=2, twilio:primary=0',
      TIDINGS_DAILY_CAPS: 'aliyun:cn=10000',
      TIDINGS_WARMUP: '+15551234567=2000@2031-03-01, sim:new=400',
      TIDINGS_WARMUP_FIRST_DAY: '20',
    });
    expect(p.apiRequests).toEqual({ points: 6000, windowMs: 60_000 });
    expect(p.apiMessages).toEqual({ points: 3000, windowMs: 60_000 });
    expect(p.recipient.transactional).toEqual([
      { points: 10, windowMs: H },
      { points: 50, windowMs: 24 * H },
    ]);
    expect(p.recipient.marketing).toEqual([]);
    expect(p.recipient.otp).toEqual(DEFAULT_LIMITS.recipient.otp);
    expect(p.duplicateWindowMs).toBe(30_000);
    expect(p.quietHours).toEqual({ transactional: { startMinute: 1320, endMinute: 420 } });
    expect(p.allowedCountries).toEqual(new Set(['US', 'CA', 'GB']));
    expect(p.pumping).toEqual({
      purposes: new Set(['otp', 'transactional']),
      perCountry: null,
      perPrefix: { points: 5, windowMs: 600_000 },
      coolOffMs: 2 * H,
    });
    expect(p.spend).toEqual({
      day: [
        { amount: 100, currency: 'USD' },
        { amount: 700, currency: 'CNY' },
      ],
      month: [{ amount: 2000, currency: 'USD' }],
      softRatio: 0.9,
    });
    expect(p.timeZone).toBe('Asia/Shanghai');
    expect([...p.rates]).toEqual([
      ['+15551234567', 2],
      ['twilio:primary', 0],
    ]);
    expect([...p.dailyCaps]).toEqual([['aliyun:cn', 10000]]);
    expect([...p.warmUp]).toEqual([
      ['+15551234567', { target: 2000, since: '2031-03-01' }],
      ['sim:new', { target: 400, since: null }],
    ]);
    expect(p.warmUpFirstDay).toBe(20);
  });

  it('turns things off', () => {
    const p = parseLimits({
      TIDINGS_RECIPIENT_LIMITS: 'off',
      TIDINGS_DUPLICATE_WINDOW: 'off',
      TIDINGS_QUIET_HOURS: 'off',
      TIDINGS_PUMPING_PURPOSES: 'off',
      TIDINGS_PACING: 'off',
    });
    expect(Object.values(p.recipient).flat()).toEqual([]);
    expect(p.duplicateWindowMs).toBeNull();
    expect(p.quietHours).toEqual({});
    expect(p.pumping).toBeNull();
    expect(p.pacing).toBe(false);
  });

  it('names the variable and what it expects, through loadConfig', () => {
    const bad: Array<[string, string, RegExp]> = [
      ['TIDINGS_API_REQUEST_LIMIT', '6000 a minute', /TIDINGS_API_REQUEST_LIMIT: expected a limit like 5\/1h/],
      ['TIDINGS_RECIPIENT_LIMITS', 'sms=1/1m', /TIDINGS_RECIPIENT_LIMITS: expected a purpose/],
      ['TIDINGS_QUIET_HOURS', 'otp=22:00-07:00', /never held/],
      ['TIDINGS_QUIET_HOURS', 'marketing=late', /a window like 21:00-08:00/],
      ['TIDINGS_ALLOWED_COUNTRIES', 'USA', /ISO country codes/],
      ['TIDINGS_SPEND_DAY_LIMIT', '$100', /amounts with a currency/],
      ['TIDINGS_DUPLICATE_WINDOW', '10 minutes', /a window like/],
      ['TIDINGS_LIMITS_TIMEZONE', 'Mars/Olympus', /an IANA timezone/],
      ['TIDINGS_PACING', '+15551234567', /sender-or-provider=number/],
      ['TIDINGS_WARMUP', '+15551234567=0', /sender=target/],
    ];
    for (const [name, value, message] of bad) {
      expect(() => loadConfig({ [name]: value }), name).toThrow(message);
    }
    expect(loadConfig({}).limits.recipient.otp).toHaveLength(3);
  });
});
