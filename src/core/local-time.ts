/**
 * @module core/local-time
 * Wall-clock time in a named timezone, for rules that follow a person's or an account's day: quiet
 * hours ("not before 08:00 where the recipient lives"), daily caps and spend that reset at local
 * midnight. Built on Intl's timezone data, so daylight-saving changes are the tz database's, not
 * ours: a local time is turned into an instant by asking which offset is in force then.
 */

export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

export interface LocalParts extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading in `timeZone` at the instant `at` (epoch ms). */
export function localParts(at: number, timeZone: string): LocalParts {
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatFor(timeZone).formatToParts(at)) {
    if (p.type in out) out[p.type as keyof LocalParts] = Number(p.value);
  }
  return out;
}

/** How far `timeZone`'s clock is ahead of UTC at `at`, in ms (negative west of Greenwich). */
export function offsetAt(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant at which `timeZone`'s clock reads this date and time. A time skipped by a
 * spring-forward change gives the instant just after the gap, shifted by its length (02:30 on the
 * day clocks jump from 02:00 to 03:00 gives 03:30); a time that occurs twice gives the earlier one.
 */
export function zonedInstant(date: LocalDate, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // The offsets half a day either side cover any change near this time.
  const candidates = [...new Set([offsetAt(wall - 43_200_000, timeZone), offsetAt(wall + 43_200_000, timeZone)])].map(
    (offset) => wall - offset,
  );
  const exact = candidates.filter((t) => {
    const p = localParts(t, timeZone);
    return p.hour === hour && p.minute === minute && p.day === date.day;
  });
  if (exact.length > 0) return Math.min(...exact);
  return Math.max(...candidates);
}

/** The calendar date after `date`. */
export function nextDate(date: LocalDate): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `2031-03-09`: names a local day in counter keys. */
export function dateKey(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** Whole days from `from` to `to` (calendar dates, so DST days count as one). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round(
    (Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / 86_400_000,
  );
}

export interface LocalPeriods {
  today: LocalDate;
  /** `2031-03-09` */
  day: string;
  dayEndsAt: number;
  /** `2031-03` */
  month: string;
  monthEndsAt: number;
}

const periodCache = new Map<string, { from: number; periods: LocalPeriods }>();

/**
 * The local day and month `at` falls in, and when each ends, in `timeZone`. Asked on every
 * message for spend and daily caps, so the answer is kept until the day ends.
 */
export function localPeriods(at: number, timeZone: string): LocalPeriods {
  const hit = periodCache.get(timeZone);
  if (hit && at >= hit.from && at < hit.periods.dayEndsAt) return hit.periods;
  const periods = computePeriods(at, timeZone);
  periodCache.set(timeZone, { from: zonedInstant(periods.today, 0, 0, timeZone), periods });
  return periods;
}

function computePeriods(at: number, timeZone: string): LocalPeriods {
  const p = localParts(at, timeZone);
  const today: LocalDate = { year: p.year, month: p.month, day: p.day };
  const firstOfNextMonth: LocalDate =
    p.month === 12 ? { year: p.year + 1, month: 1, day: 1 } : { year: p.year, month: p.month + 1, day: 1 };
  return {
    today,
    day: dateKey(today),
    dayEndsAt: zonedInstant(nextDate(today), 0, 0, timeZone),
    month: dateKey(today).slice(0, 7),
    monthEndsAt: zonedInstant(firstOfNextMonth, 0, 0, timeZone),
  };
}

/** Whether `timeZone` is a name Intl knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}
