/**
 * @module app/interrupted-attempt
 * An accept counts its limits first and stores its messages (with its Idempotency-Key record)
 * after. A process killed between the two leaves counts with nothing stored, so the client's retry
 * with the same key, which a careful client makes when its POST got no answer, met its own ghost:
 * "the same text went to this number less than 10 min ago" (the duplicate rule), and a message the
 * client was entitled to send was refused. Found by the crash-consistency chaos run (docs/reliability.md).
 *
 * A duplicate refusal is therefore checked against what is stored, but only for the retry of a key
 * that was tried before and has no stored outcome: when no message with that text to that number
 * and channel was stored within the window, the count is the dead attempt's and the message goes
 * through. Two requests with different keys stay refused (the rule's purpose: a client that sends
 * the same text twice), and so does the retry of a key whose text did go out earlier.
 */
import type { TidingsError } from '../core/errors.js';
import type { Message } from '../core/message.js';
import type { IdempotencyContext } from './idempotency.js';
import type { AppDeps } from './deps.js';

/** Whether this request retries a key whose earlier try died before storing anything. */
export async function isRetryOfInterrupted(deps: AppDeps, idem: IdempotencyContext | null): Promise<boolean> {
  if (!idem || !deps.protection.acceptance.active) return false;
  return deps.protection.acceptance.attemptedBefore(`${idem.scope}\u0000${idem.key}`);
}

/** Lifts the duplicate refusals that only the interrupted try's own counts explain. */
export async function forgiveOwnDuplicates(
  deps: AppDeps,
  messages: readonly Message[],
  refusals: Array<TidingsError | null>,
): Promise<Array<TidingsError | null>> {
  const windowMs = deps.protection.acceptance.duplicateWindowMs;
  if (windowMs === null) return refusals;
  const since = deps.clock.now() - windowMs;
  return Promise.all(
    refusals.map(async (err, i) => {
      if (err?.code !== 'duplicate_message') return err;
      const m = messages[i]!;
      const earlier = await deps.store.list({ to: m.to, since, limit: 500 });
      const wentOut = earlier.some((e) => e.channel === m.channel && e.body === m.body);
      return wentOut ? err : null;
    }),
  );
}
