import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS, webhookRetryDelay, webhookRetrySpanMs } from './webhook-retry.js';

describe('webhook retry schedule', () => {
  it('keeps trying for more than 24 hours by default, even with no jitter at all', () => {
    expect(webhookRetrySpanMs(DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS)).toBeGreaterThanOrEqual(24 * 3_600_000);
    let total = 0;
    for (let attempt = 1; ; attempt++) {
      const wait = webhookRetryDelay(attempt, DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS, () => 0);
      if (wait === null) break;
      total += wait;
    }
    expect(total).toBeGreaterThanOrEqual(24 * 3_600_000);
  });

  it('starts at seconds, never waits longer than the cap, and climbs', () => {
    const waits = DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS.map((_, i) =>
      webhookRetryDelay(i + 1, DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS, () => 0),
    );
    expect(waits[0]).toBe(5_000);
    expect(Math.max(...(waits as number[]))).toBe(8 * 3_600_000);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1] as number);
  });

  it('adds up to 20% jitter, never less than the schedule', () => {
    expect(webhookRetryDelay(1, [1_000], () => 0)).toBe(1_000);
    expect(webhookRetryDelay(1, [1_000], () => 0.999)).toBe(1_200);
    expect(webhookRetryDelay(1, [1_000], () => 0.5)).toBe(1_100);
  });

  it('gives up once the schedule is spent', () => {
    expect(webhookRetryDelay(2, [1_000], () => 0)).toBeNull();
    expect(
      webhookRetryDelay(DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS.length + 1, DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS, () => 0),
    ).toBeNull();
  });
});
