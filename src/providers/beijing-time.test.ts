import { describe, expect, it } from 'vitest';
import { parseBeijingTime, untilBeijingHour } from './beijing-time.js';

const HOUR = 3_600_000;

describe('parseBeijingTime', () => {
  it('reads a wall-clock time in Beijing as the instant eight hours earlier in UTC', () => {
    expect(parseBeijingTime('2017-01-01 00:00:05')).toBe(Date.UTC(2016, 11, 31, 16, 0, 5));
    expect(parseBeijingTime(' 2015-10-17T08:03:04 ')).toBe(Date.UTC(2015, 9, 17, 0, 3, 4));
  });

  it('refuses what is not a real date and time', () => {
    for (const raw of ['', '2017-01-01', '2017-02-30 00:00:00', '2017-01-01 24:00:00', '2017-01-01 00:60:00', 'x']) {
      expect(parseBeijingTime(raw)).toBeNull();
    }
  });
});

describe('untilBeijingHour', () => {
  // 2024-03-01 12:00 UTC = 20:00 in Beijing.
  const now = Date.UTC(2024, 2, 1, 12, 0);

  it('counts to the next local midnight, or the next local 08:00', () => {
    expect(untilBeijingHour(now, 0)).toBe(4 * HOUR);
    expect(untilBeijingHour(now, 8)).toBe(12 * HOUR);
    // 06:00 in Beijing (22:00 UTC the day before): 08:00 is still today.
    expect(untilBeijingHour(Date.UTC(2024, 1, 29, 22, 0), 8)).toBe(2 * HOUR);
  });

  it('waits a full day at the very instant', () => {
    expect(untilBeijingHour(Date.UTC(2024, 2, 1, 16, 0), 0)).toBe(24 * HOUR);
  });
});
