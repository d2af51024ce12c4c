/**
 * @module core/webhook-retry
 * When a webhook delivery that failed is tried again. The application may be down for a night, so
 * the schedule climbs quickly from seconds to hours and keeps trying for more than a day before it
 * gives up. Jitter only ever lengthens a wait, so the schedule's sum is a floor on how long we keep
 * trying, and endpoints that failed together do not all come back at the same instant.
 */

/** Waits after the 1st, 2nd, … failed attempt: 12 attempts spread over at least 31 h 42 min. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, // 5 s
  30_000, // 30 s
  120_000, // 2 min
  600_000, // 10 min
  1_800_000, // 30 min
  3_600_000, // 1 h
  7_200_000, // 2 h
  14_400_000, // 4 h
  28_800_000, // 8 h
  28_800_000, // 8 h
  28_800_000, // 8 h
];

/** A wait grows by up to this share of itself, never shrinks. */
export const WEBHOOK_RETRY_JITTER = 0.2;

/**
 * The wait before the next attempt after attempt `attempt` (1-based) failed, or null when the
 * schedule is spent and the delivery fails for good.
 */
export function webhookRetryDelay(attempt: number, schedule: readonly number[], random: () => number): number | null {
  const base = schedule[attempt - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 + WEBHOOK_RETRY_JITTER * random()));
}

/** How long a delivery is tried for at the least: the sum of the waits. */
export function webhookRetrySpanMs(schedule: readonly number[]): number {
  return schedule.reduce((sum, ms) => sum + ms, 0);
}
