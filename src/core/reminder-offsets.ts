/**
 * @module core/reminder-offsets
 * When each reminder goes out, relative to the appointment. `-2h` and `-30m` are exact durations:
 * two hours before is two hours before, whatever the clocks do. `-1d` means "the same time on the
 * calendar day before", in the appointment's timezone: a 09:00 appointment on the Monday after a
 * spring-forward Sunday is reminded at 09:00 on Sunday, 23 hours earlier, not at 08:00. Pure: the
 * timezone rules are the tz database's, read through Intl (core/local-time).
 */
import { TidingsError } from './errors.js';
import { localParts, zonedInstant } from './local-time.js';

export type OffsetUnit = 'm' | 'h' | 'd';

export interface ReminderOffset {
  /** The canonical spelling: `-24h`, `-30m`, `-1d` (`-1440m` is written `-24h`). */
  label: string;
  /** Exact minutes before (`m`, `h`), or calendar days before (`d`). */
  amount: number;
  unit: 'minutes' | 'days';
}

/** A reminder never goes out more than this long before its appointment. */
export const MAX_OFFSET_DAYS = 90;
const MAX_OFFSET_MINUTES = MAX_OFFSET_DAYS * 24 * 60;
/** More would be a campaign, not a reminder. */
export const MAX_OFFSETS = 10;

const SHAPE = /^-(\d{1,6})([mhd])$/;

function invalid(message: string): TidingsError {
  return new TidingsError('reminder_offset_invalid', message, 'offsets');
}

/** Parses one offset; throws `reminder_offset_invalid`. */
export function parseOffset(text: string): ReminderOffset {
  const m = SHAPE.exec(text.trim());
  if (!m) {
    throw invalid(
      `"${text}" is not an offset: write a negative whole number of minutes, hours or days, e.g. -30m, -2h, -1d.`,
    );
  }
  const n = Number(m[1]);
  const unit = m[2] as OffsetUnit;
  if (n === 0) throw invalid(`"${text}" is the appointment itself: an offset must be before it.`);
  if (unit === 'd') {
    if (n > MAX_OFFSET_DAYS) throw invalid(`"${text}" is more than ${MAX_OFFSET_DAYS} days before the appointment.`);
    return { label: `-${n}d`, amount: n, unit: 'days' };
  }
  const minutes = unit === 'h' ? n * 60 : n;
  if (minutes > MAX_OFFSET_MINUTES) {
    throw invalid(`"${text}" is more than ${MAX_OFFSET_DAYS} days before the appointment.`);
  }
  return { label: minutes % 60 === 0 ? `-${minutes / 60}h` : `-${minutes}m`, amount: minutes, unit: 'minutes' };
}

/**
 * Parses a list: at least one, at most MAX_OFFSETS, no two the same (`-24h` and `-1440m` are the
 * same; `-24h` and `-1d` are not, they differ across a DST change). Sorted earliest first.
 */
export function parseOffsets(texts: readonly string[]): ReminderOffset[] {
  if (texts.length === 0) throw invalid('Give at least one offset, e.g. ["-24h", "-2h"].');
  if (texts.length > MAX_OFFSETS) throw invalid(`At most ${MAX_OFFSETS} offsets per reminder.`);
  const seen = new Set<string>();
  const out = texts.map((t) => {
    const o = parseOffset(t);
    if (seen.has(o.label)) throw invalid(`"${t}" is given twice (as ${o.label}).`);
    seen.add(o.label);
    return o;
  });
  // Days first, larger first: the usual order of the send times, without needing a timezone.
  return out.sort((a, b) => approxMinutes(b) - approxMinutes(a) || (a.unit === 'days' ? -1 : 1));
}

function approxMinutes(o: ReminderOffset): number {
  return o.unit === 'days' ? o.amount * 1440 : o.amount;
}

/** The instant (epoch ms) this offset's reminder is due, for an appointment at `appointmentAt` in `timeZone`. */
export function sendTimeFor(offset: ReminderOffset, appointmentAt: number, timeZone: string): number {
  if (offset.unit === 'minutes') return appointmentAt - offset.amount * 60_000;
  const p = localParts(appointmentAt, timeZone);
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day - offset.amount));
  // zonedInstant works in whole minutes; the seconds and milliseconds are carried over as they are.
  const rest = appointmentAt - Math.floor(appointmentAt / 60_000) * 60_000;
  return (
    zonedInstant(
      { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() },
      p.hour,
      p.minute,
      timeZone,
    ) + rest
  );
}
