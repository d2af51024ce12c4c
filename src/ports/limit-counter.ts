/**
 * @module ports/limit-counter
 * Shared counters with a window, the one thing every limit needs: "how many so far in this window,
 * this one included". They live where every process sees them (the SQLite file, PostgreSQL or
 * Redis), so ten API processes enforce one limit, and a restart forgets nothing. Whether a count is
 * too many is the caller's decision: a rule's `points` is what the store enforces (it refuses and,
 * with `blockMs`, closes the key), but a caller may compare `consumed` against a lower limit of its
 * own (a warm-up allowance that grows daily).
 */

export interface LimitRule {
  /** Stable and unique: part of every key, so two rules never share a counter. */
  readonly name: string;
  /** Points a window holds. */
  readonly points: number;
  /** Window length, whole seconds. A consume may pass its own (a calendar day's remaining time). */
  readonly windowMs: number;
  /** Going over closes the key for this long (a cooling-off period), not just until the window ends. */
  readonly blockMs?: number;
}

export interface CounterState {
  /** Points in the window, this consume's included, also when it went over. */
  consumed: number;
  /** Whether `consumed` is within the rule's points (and the key is not closed). */
  allowed: boolean;
  /** Until the window ends, or the key opens again (ms). */
  resetInMs: number;
}

export interface Count {
  rule: LimitRule;
  key: string;
  points: number;
  windowMs?: number;
}

export interface LimitCounter {
  /** Adds `points` (≥ 1) to the key's window, starting a window of `windowMs` (default the rule's) if none is open. */
  consume(rule: LimitRule, key: string, points: number, windowMs?: number): Promise<CounterState>;
  /** Several counts at once (a batch's rules and keys), in one round to the store where it allows. */
  consumeMany(counts: readonly Count[]): Promise<CounterState[]>;
  /** Takes points back (what was counted for something that was then refused elsewhere). */
  refund(rule: LimitRule, key: string, points: number): Promise<void>;
  /** The key's window now, without counting; null when none is open. */
  peek(rule: LimitRule, key: string): Promise<CounterState | null>;
  /** Sets the key's count outright, for `windowMs` (0: for good). */
  set(rule: LimitRule, key: string, points: number, windowMs: number): Promise<void>;
  close(): Promise<void>;
}
