/**
 * @module core/appointment-time
 * An appointment's time as a caller writes it: an instant with its offset (`2030-03-10T09:00:00-05:00`,
 * `…Z`), or a local wall-clock time (`2030-03-10T09:00`) read in the appointment's IANA timezone.
 * A local time the clocks skip (02:30 on a spring-forward night) is refused rather than guessed at;
 * one they pass twice (01:30 on a fall-back night) is the first of the two, as most calendars do.
 */
import { TidingsError } from './errors.js';
import { isTimeZone, localParts, zonedInstant } from './local-time.js';

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

function invalid(message: string, field: string): TidingsError {
  return new TidingsError('appointment_time_invalid', message, field);
}

export function checkTimeZone(timeZone: string, field = 'timezone'): void {
  if (!isTimeZone(timeZone)) throw invalid(`"${timeZone}" is not an IANA timezone (e.g. Europe/London).`, field);
}

/** Epoch ms of the appointment; throws `appointment_time_invalid`. */
export function parseAppointment(text: string, timeZone: string, field = 'appointmentAt'): number {
  if (WITH_OFFSET.test(text)) {
    const at = Date.parse(text);
    if (Number.isNaN(at)) throw invalid(`"${text}" is not a real time.`, field);
    return at;
  }
  const m = LOCAL.exec(text);
  if (!m) {
    throw invalid(
      `"${text}" is not a time: write 2030-03-10T09:00:00-05:00, or 2030-03-10T09:00 with a timezone.`,
      field,
    );
  }
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  const check = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day! || hour! > 23 || minute! > 59) {
    throw invalid(`"${text}" is not a real date and time.`, field);
  }
  const at = zonedInstant({ year: year!, month: month!, day: day! }, hour!, minute!, timeZone) + second! * 1000;
  const back = localParts(at, timeZone);
  if (back.hour !== hour || back.minute !== minute || back.day !== day) {
    throw invalid(`${text} does not happen in ${timeZone}: the clocks skip it (a daylight-saving change).`, field);
  }
  return at;
}

/** `2030-03-10T09:00:00` as the clocks in `timeZone` read at `at`. */
export function localTimeText(at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}
