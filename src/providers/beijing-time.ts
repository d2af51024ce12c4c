/**
 * @module providers/beijing-time
 * Aliyun and Tencent speak Beijing time (UTC+8; China has no daylight saving time): their delivery
 * reports carry local wall-clock times, and their daily limits reset at a local hour.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BEIJING_OFFSET = 8 * HOUR;

/** `2017-01-01 00:00:00` (or with a `T`), Beijing time → epoch ms; null when it is not one. */
export function parseBeijingTime(raw: string): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)$/.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return utc - BEIJING_OFFSET;
}

/** Milliseconds from `now` to the next `hour`:00 in Beijing (a full day when it is that instant). */
export function untilBeijingHour(now: number, hour: number): number {
  const local = now + BEIJING_OFFSET;
  const dayStart = local - (((local % DAY) + DAY) % DAY);
  const today = dayStart + hour * HOUR;
  return (today > local ? today : today + DAY) - local;
}
