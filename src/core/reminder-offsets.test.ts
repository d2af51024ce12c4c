import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAppointment, localTimeText } from './appointment-time.js';
import { parseOffset, parseOffsets, sendTimeFor } from './reminder-offsets.js';
import { TidingsError } from './errors.js';

const iso = (ms: number) => new Date(ms).toISOString();
const H = 3_600_000;

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof TidingsError ? err.code : 'not a TidingsError';
  }
  return undefined;
}

describe('parseOffset', () => {
  it('reads minutes, hours and days, and writes them canonically', () => {
    expect(parseOffset('-30m')).toEqual({ label: '-30m', amount: 30, unit: 'minutes' });
    expect(parseOffset('-2h')).toEqual({ label: '-2h', amount: 120, unit: 'minutes' });
    expect(parseOffset('-1440m')).toEqual({ label: '-24h', amount: 1440, unit: 'minutes' });
    expect(parseOffset('-7d')).toEqual({ label: '-7d', amount: 7, unit: 'days' });
  });

  it.each(['24h', '+2h', '-0h', '-2x', '-1.5h', '', '-91d', '-2161h', 'soon'])('refuses %j', (text) => {
    expect(code(() => parseOffset(text))).toBe('reminder_offset_invalid');
  });

  it('refuses duplicates by value, empty lists and too many', () => {
    expect(code(() => parseOffsets(['-24h', '-1440m']))).toBe('reminder_offset_invalid');
    expect(code(() => parseOffsets([]))).toBe('reminder_offset_invalid');
    expect(code(() => parseOffsets(Array.from({ length: 11 }, (_, i) => `-${i + 1}h`)))).toBe(
      'reminder_offset_invalid',
    );
    // A day and 24 hours differ across a DST change: both may be asked for.
    expect(parseOffsets(['-2h', '-24h', '-1d']).map((o) => o.label)).toEqual(['-1d', '-24h', '-2h']);
  });
});

describe('sendTimeFor across daylight-saving changes', () => {
  const cases = [
    // zone, local appointment, -1d expected (UTC), -24h expected (UTC)
    ['America/New_York', '2030-03-10T09:00', '2030-03-09T14:00:00.000Z', '2030-03-09T13:00:00.000Z', 23],
    ['America/New_York', '2030-11-03T09:00', '2030-11-02T13:00:00.000Z', '2030-11-02T14:00:00.000Z', 25],
    ['Europe/London', '2030-03-31T09:00', '2030-03-30T09:00:00.000Z', '2030-03-30T08:00:00.000Z', 23],
    ['Europe/London', '2030-10-27T09:00', '2030-10-26T08:00:00.000Z', '2030-10-26T09:00:00.000Z', 25],
  ] as const;

  it.each(cases)('%s %s: -1d keeps the wall-clock time, -24h keeps the duration', (zone, local, day, hours, gap) => {
    const at = parseAppointment(local, zone);
    const oneDay = sendTimeFor(parseOffset('-1d'), at, zone);
    expect(iso(oneDay)).toBe(day);
    expect(localTimeText(oneDay, zone).slice(11)).toBe('09:00:00');
    expect((at - oneDay) / H).toBe(gap);
    expect(iso(sendTimeFor(parseOffset('-24h'), at, zone))).toBe(hours);
    expect(at - sendTimeFor(parseOffset('-24h'), at, zone)).toBe(24 * H);
  });

  it('a -1d reminder whose wall-clock time the clocks skip goes out just after the gap', () => {
    const at = parseAppointment('2030-03-11T02:30', 'America/New_York'); // 06:30Z, EDT
    const due = sendTimeFor(parseOffset('-1d'), at, 'America/New_York');
    expect(localTimeText(due, 'America/New_York')).toBe('2030-03-10T03:30:00');
  });

  it('-7d across a change still lands on the same local time; seconds are kept', () => {
    const at = parseAppointment('2030-03-14T17:45:30', 'America/New_York');
    const due = sendTimeFor(parseOffset('-7d'), at, 'America/New_York');
    expect(localTimeText(due, 'America/New_York')).toBe('2030-03-07T17:45:30');
  });
});

describe('parseAppointment', () => {
  it('takes an instant with its offset as it is, whatever the timezone', () => {
    expect(iso(parseAppointment('2030-03-10T09:00:00-04:00', 'Europe/London'))).toBe('2030-03-10T13:00:00.000Z');
  });

  it('refuses a local time the clocks skip, and takes the first of a repeated one', () => {
    expect(code(() => parseAppointment('2030-03-10T02:30', 'America/New_York'))).toBe('appointment_time_invalid');
    expect(iso(parseAppointment('2030-11-03T01:30', 'America/New_York'))).toBe('2030-11-03T05:30:00.000Z');
  });

  it.each(['2030-02-30T09:00', '2030-03-10 09:00', 'tomorrow', '2030-03-10T25:00'])('refuses %j', (text) => {
    expect(code(() => parseAppointment(text, 'Europe/London'))).toBe('appointment_time_invalid');
  });
});

describe('sendTimeFor, for any appointment', () => {
  const zones = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Shanghai', 'America/Santiago'];
  const appointment = fc.record({
    zone: fc.constantFrom(...zones),
    // 2026–2035, on the minute: the times people book.
    minute: fc.integer({ min: 29_440_000, max: 34_700_000 }),
    days: fc.integer({ min: 1, max: 90 }),
    hours: fc.integer({ min: 1, max: 2_160 }),
  });

  it('-Nh is exactly N hours before; -Nd is N calendar days before at the same wall-clock time, or just after a gap', () => {
    fc.assert(
      fc.property(appointment, ({ zone, minute, days, hours }) => {
        const at = minute * 60_000;
        expect(at - sendTimeFor(parseOffset(`-${hours}h`), at, zone)).toBe(hours * H);
        const due = sendTimeFor(parseOffset(`-${days}d`), at, zone);
        const want = localTimeText(at, zone);
        const got = localTimeText(due, zone);
        const wantDay = new Date(Date.UTC(+want.slice(0, 4), +want.slice(5, 7) - 1, +want.slice(8, 10) - days));
        expect(got.slice(0, 10)).toBe(wantDay.toISOString().slice(0, 10));
        // Same time of day, unless that time fell in a spring-forward gap: then later by the gap.
        if (got.slice(11) !== want.slice(11)) {
          expect(got.slice(11) > want.slice(11)).toBe(true);
          expect(due).toBeLessThan(at);
        }
        // Never more than a day's DST change away from N × 24 hours.
        expect(Math.abs(at - due - days * 24 * H)).toBeLessThanOrEqual(2 * H);
      }),
      { numRuns: 500 },
    );
  });
});
