/**
 * @module core/retry
 * Retry maths, kept pure and apart from the loop that uses it: exponential backoff with full
 * jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"), with a provider's Retry-After
 * taken as a floor. Randomness is passed in so tests can pin it.
 */
import type { ProviderError } from './provider-error.js';

export interface RetryPolicy {
  /** Total attempts including the first one. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 300_000 };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/** Full jitter: a uniform delay in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exp = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  const ceiling = Math.min(policy.maxDelayMs, exp);
  return Math.floor(random() * ceiling);
}

/**
 * What to do after `attempt` (1-based) failed with `error`.
 * Permanent kinds never retry; retryable kinds retry until the attempt budget is spent.
 */
export function decideRetry(
  error: ProviderError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (!error.retryable || attempt >= policy.maxAttempts) return { retry: false };
  const jittered = backoffDelay(attempt, policy, random);
  const floor = error.retryAfterMs ?? 0;
  return { retry: true, delayMs: Math.min(Math.max(jittered, floor), Math.max(policy.maxDelayMs, floor)) };
}
