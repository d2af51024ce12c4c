/**
 * @module app/duration
 * Durations in request bodies (`90s`, `30m`, `2h`, `1d`), refused with a field-named error.
 */
import { TidingsError } from '../core/errors.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDelay(value: string, field: string): number {
  const m = /^(\d{1,6})(s|m|h|d)$/.exec(value.trim());
  if (!m?.[1] || !m[2]) {
    throw new TidingsError('validation_failed', `"${value}" is not a duration like 90s, 30m, 2h or 1d.`, field);
  }
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}
