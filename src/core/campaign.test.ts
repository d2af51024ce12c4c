import { describe, expect, it } from 'vitest';
import { etaSeconds, nextStatus, parseClock, rowIdempotencyKey, windowOpensAt } from './campaign.js';

const at = (iso: string) => Date.parse(iso);

describe('campaign window', () => {
  const day = { start: '09:00', end: '20:00' };

  it('is open inside the window and opens at the next start outside it', () => {
    expect(windowOpensAt(day, 'UTC', at('2030-01-10T12:00:00Z'))).toBe(at('2030-01-10T12:00:00Z'));
    expect(windowOpensAt(day, 'UTC', at('2030-01-10T08:59:00Z'))).toBe(at('2030-01-10T09:00:00Z'));
    // At the end minute it is closed: the next opening is tomorrow's.
    expect(windowOpensAt(day, 'UTC', at('2030-01-10T20:00:00Z'))).toBe(at('2030-01-11T09:00:00Z'));
  });

  it('follows the zone, daylight saving included', () => {
    // 13:00 UTC is 08:00 in New York in January (UTC-5): opens at 14:00 UTC.
    expect(windowOpensAt(day, 'America/New_York', at('2030-01-10T13:00:00Z'))).toBe(at('2030-01-10T14:00:00Z'));
    // In July (UTC-4) 13:00 UTC is 09:00 there: open.
    expect(windowOpensAt(day, 'America/New_York', at('2030-07-10T13:00:00Z'))).toBe(at('2030-07-10T13:00:00Z'));
    // Shanghai at 23:00 UTC is 07:00 the next day: opens at 01:00 UTC.
    expect(windowOpensAt(day, 'Asia/Shanghai', at('2030-01-10T23:00:00Z'))).toBe(at('2030-01-11T01:00:00Z'));
  });

  it('spans midnight when the end is before the start, and an empty span is always open', () => {
    const night = { start: '22:00', end: '02:00' };
    expect(windowOpensAt(night, 'UTC', at('2030-01-10T23:30:00Z'))).toBe(at('2030-01-10T23:30:00Z'));
    expect(windowOpensAt(night, 'UTC', at('2030-01-11T01:59:00Z'))).toBe(at('2030-01-11T01:59:00Z'));
    expect(windowOpensAt(night, 'UTC', at('2030-01-11T02:00:00Z'))).toBe(at('2030-01-11T22:00:00Z'));
    expect(windowOpensAt({ start: '10:00', end: '10:00' }, 'UTC', 5)).toBe(5);
  });

  it('parses HH:MM only', () => {
    expect(parseClock('09:30')).toBe(570);
    expect(parseClock('24:00')).toBeNull();
    expect(parseClock('9:30')).toBeNull();
  });
});

describe('campaign lifecycle', () => {
  const now = 1_000;
  it('starts to running, or scheduled when its start is ahead', () => {
    expect(nextStatus('draft', 'start', { startAt: null, now })).toBe('running');
    expect(nextStatus('draft', 'start', { startAt: now + 1, now })).toBe('scheduled');
    expect(nextStatus('running', 'start', { startAt: null, now })).toBeNull();
  });
  it('pauses and resumes only where that means something, and cancels anything unfinished', () => {
    expect(nextStatus('running', 'pause', { startAt: null, now })).toBe('paused');
    expect(nextStatus('draft', 'pause', { startAt: null, now })).toBeNull();
    expect(nextStatus('paused', 'resume', { startAt: null, now })).toBe('running');
    expect(nextStatus('running', 'resume', { startAt: null, now })).toBeNull();
    expect(nextStatus('draft', 'cancel', { startAt: null, now })).toBe('cancelled');
    expect(nextStatus('completed', 'cancel', { startAt: null, now })).toBeNull();
  });
  it('estimates time left from the rate, and keys rows for idempotency', () => {
    expect(etaSeconds(1_000, 100)).toBe(10);
    expect(etaSeconds(0, 0)).toBe(0);
    expect(etaSeconds(5, 0)).toBeNull();
    expect(rowIdempotencyKey('cmp_1', 42)).toBe('campaign:cmp_1:42');
  });
});
