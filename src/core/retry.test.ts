import { describe, expect, it } from 'vitest';
import { ProviderError } from './provider-error.js';
import { backoffDelay, decideRetry, type RetryPolicy } from './retry.js';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 };

describe('retry maths', () => {
  it('grows the jitter ceiling exponentially up to the cap (full jitter)', () => {
    const top = () => 0.999999;
    expect(backoffDelay(1, policy, top)).toBe(999);
    expect(backoffDelay(2, policy, top)).toBe(1_999);
    expect(backoffDelay(3, policy, top)).toBe(3_999);
    expect(backoffDelay(10, policy, top)).toBe(9_999);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('retries retryable kinds until the attempt budget is spent', () => {
    const err = new ProviderError('transient', '503');
    expect(decideRetry(err, 1, policy, () => 0.5)).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry(err, 4, policy, () => 0.5).retry).toBe(true);
    expect(decideRetry(err, 5, policy, () => 0.5)).toEqual({ retry: false });
  });

  it('never retries permanent kinds', () => {
    for (const kind of ['invalid_recipient', 'opted_out', 'rejected_content', 'auth', 'permanent'] as const) {
      expect(decideRetry(new ProviderError(kind, 'no'), 1, policy, () => 0.5)).toEqual({ retry: false });
    }
  });

  it('honours Retry-After as a floor, even above the cap', () => {
    const limited = new ProviderError('rate_limited', '429', { retryAfterMs: 3_000 });
    expect(decideRetry(limited, 1, policy, () => 0)).toEqual({ retry: true, delayMs: 3_000 });
    const long = new ProviderError('rate_limited', '429', { retryAfterMs: 60_000 });
    expect(decideRetry(long, 1, policy, () => 0.9)).toEqual({ retry: true, delayMs: 60_000 });
  });
});
