/**
 * @module providers/duration
 * Durations in provider URLs: `250ms`, `2s`, `1m`, or a bare number of milliseconds.
 */
export function parseDuration(value: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m?.[1]) throw new Error(`${name} must be a duration like 250ms, 2s or 1m (got "${value}")`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000);
}
