/**
 * @module core/quiet-hours
 * "Not at night where the recipient is": a message that would go out inside its purpose's quiet
 * hours, on the recipient's own clock, waits for the hour they end. One-time codes and urgent
 * messages are never held; the caller decides which those are, here we only do the clock maths.
 */
import { localParts, nextDate, zonedInstant } from './local-time.js';

/** Local minutes since midnight; a window whose start is after its end runs over midnight (21:00–08:00). */
export interface QuietHours {
  startMinute: number;
  endMinute: number;
}

export function parseQuietHours(text: string): QuietHours | null {
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [sh, sm, eh, em] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (sh > 23 || eh > 23 || sm > 59 || em > 59) return null;
  const q = { startMinute: sh * 60 + sm, endMinute: eh * 60 + em };
  return q.startMinute === q.endMinute ? null : q;
}

const hhmm = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

export function describeQuietHours(q: QuietHours): string {
  return `${hhmm(q.startMinute)}-${hhmm(q.endMinute)}`;
}

/**
 * When a message due at `due` may go out instead, or null when `due` is outside the quiet hours.
 * The answer is the next time the recipient's clock reads the window's end, so a window that spans
 * a daylight-saving change still ends at the local hour it names.
 */
export function quietUntil(due: number, timeZone: string, q: QuietHours): number | null {
  const p = localParts(due, timeZone);
  const minute = p.hour * 60 + p.minute;
  const wraps = q.startMinute > q.endMinute;
  const quiet = wraps
    ? minute >= q.startMinute || minute < q.endMinute
    : minute >= q.startMinute && minute < q.endMinute;
  if (!quiet) return null;
  const today = { year: p.year, month: p.month, day: p.day };
  // Evening side of a window over midnight: it ends tomorrow morning.
  const endDay = wraps && minute >= q.startMinute ? nextDate(today) : today;
  return zonedInstant(endDay, Math.floor(q.endMinute / 60), q.endMinute % 60, timeZone);
}
