import { describe, expect, it } from 'vitest';
import { localParts, localPeriods, zonedInstant } from './local-time.js';
import { describeQuietHours, parseQuietHours, quietUntil } from './quiet-hours.js';

const NIGHT = parseQuietHours('21:00-08:00')!;
const at = (iso: string): number => Date.parse(iso);
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

describe('local time', () => {
  it('turns a local time into the instant, with the offset in force that day', () => {
    expect(iso(zonedInstant({ year: 2031, month: 1, day: 15 }, 8, 0, 'America/New_York'))).toBe(
      '2031-01-15T13:00:00.000Z',
    );
    expect(iso(zonedInstant({ year: 2031, month: 7, day: 15 }, 8, 0, 'America/New_York'))).toBe(
      '2031-07-15T12:00:00.000Z',
    );
    expect(iso(zonedInstant({ year: 2031, month: 7, day: 15 }, 8, 0, 'Asia/Shanghai'))).toBe(
      '2031-07-15T00:00:00.000Z',
    );
  });

  it('gives the instant after a spring-forward gap, and the earlier of a repeated hour', () => {
    // New York, 9 March 2031: 02:00 EST jumps to 03:00 EDT, so 02:30 never happens.
    expect(iso(zonedInstant({ year: 2031, month: 3, day: 9 }, 2, 30, 'America/New_York'))).toBe(
      '2031-03-09T07:30:00.000Z',
    );
    // 2 November 2031: 01:30 happens twice (EDT, then EST).
    expect(iso(zonedInstant({ year: 2031, month: 11, day: 2 }, 1, 30, 'America/New_York'))).toBe(
      '2031-11-02T05:30:00.000Z',
    );
  });

  it('names the local day and month, and when they end', () => {
    const p = localPeriods(at('2031-01-31T23:30:00Z'), 'Asia/Shanghai');
    expect(p.day).toBe('2031-02-01');
    expect(p.month).toBe('2031-02');
    expect(iso(p.dayEndsAt)).toBe('2031-02-01T16:00:00.000Z');
    expect(iso(p.monthEndsAt)).toBe('2031-02-28T16:00:00.000Z');
    expect(localParts(at('2031-01-31T23:30:00Z'), 'UTC').hour).toBe(23);
  });
});

describe('quiet hours', () => {
  it('parses and prints windows, and refuses nonsense', () => {
    expect(NIGHT).toEqual({ startMinute: 21 * 60, endMinute: 8 * 60 });
    expect(describeQuietHours(NIGHT)).toBe('21:00-08:00');
    expect(parseQuietHours('25:00-08:00')).toBeNull();
    expect(parseQuietHours('08:00-08:00')).toBeNull();
    expect(parseQuietHours('night')).toBeNull();
  });

  it('holds a message due at night until 08:00 on the recipient clock, and lets a daytime one go', () => {
    // 22:30 in London (GMT) → 08:00 next morning.
    expect(iso(quietUntil(at('2031-01-15T22:30:00Z'), 'Europe/London', NIGHT))).toBe('2031-01-16T08:00:00.000Z');
    // 06:59 → 08:00 the same morning; 08:00 exactly and 20:59 are outside the window.
    expect(iso(quietUntil(at('2031-01-15T06:59:00Z'), 'Europe/London', NIGHT))).toBe('2031-01-15T08:00:00.000Z');
    expect(quietUntil(at('2031-01-15T08:00:00Z'), 'Europe/London', NIGHT)).toBeNull();
    expect(quietUntil(at('2031-01-15T20:59:00Z'), 'Europe/London', NIGHT)).toBeNull();
    expect(iso(quietUntil(at('2031-01-15T21:00:00Z'), 'Europe/London', NIGHT))).toBe('2031-01-16T08:00:00.000Z');
  });

  it('is the same instant read on different clocks: night in Shanghai, afternoon in New York', () => {
    const t = at('2031-01-15T15:00:00Z'); // 23:00 in Shanghai, 10:00 in New York
    expect(iso(quietUntil(t, 'Asia/Shanghai', NIGHT))).toBe('2031-01-16T00:00:00.000Z');
    expect(quietUntil(t, 'America/New_York', NIGHT)).toBeNull();
  });

  it('releases at the local hour across daylight-saving changes', () => {
    // The night clocks go forward in New York: 23:00 EST → 08:00 EDT is 12:00Z, not 13:00Z.
    expect(iso(quietUntil(at('2031-03-09T04:00:00Z'), 'America/New_York', NIGHT))).toBe('2031-03-09T12:00:00.000Z');
    // The night they go back: 23:00 EDT → 08:00 EST is 13:00Z.
    expect(iso(quietUntil(at('2031-11-02T03:00:00Z'), 'America/New_York', NIGHT))).toBe('2031-11-02T13:00:00.000Z');
    // Sydney's clocks go forward on 5 October 2031: 22:00 AEST → 08:00 AEDT.
    expect(iso(quietUntil(at('2031-10-04T12:00:00Z'), 'Australia/Sydney', NIGHT))).toBe('2031-10-04T21:00:00.000Z');
  });

  it('handles a window inside one day', () => {
    const lunch = parseQuietHours('12:00-14:00')!;
    expect(iso(quietUntil(at('2031-01-15T12:30:00Z'), 'UTC', lunch))).toBe('2031-01-15T14:00:00.000Z');
    expect(quietUntil(at('2031-01-15T23:30:00Z'), 'UTC', lunch)).toBeNull();
  });
});
