/**
 * @module app/limit-charge
 * What one counted limit asks of the counter for one message (a charge), and how a refusal reads:
 * shared by the acceptance limits and the steps kept in files of their own (app/spend-limit).
 */
import { TidingsError, type ErrorCode } from '../core/errors.js';
import type { Message } from '../core/message.js';
import type { CounterState, LimitRule } from '../ports/limit-counter.js';

/** Tells the operators, once per condition and cool-down (the alerts module), and always in the log. */
export type RaiseAlert = (condition: string, summary: string, detail: Record<string, unknown>) => void;

export interface Charge {
  rule: LimitRule;
  key: string;
  points: number;
  /** A window of its own (a calendar period's remaining time). */
  windowMs?: number;
  /** What the count is compared with (default the rule's points). */
  limit?: number;
  /** Never given back: every attempt counts (the pumping guard's velocity), and a closed key stays closed. */
  keepRefused?: boolean;
  refuse(state: CounterState): TidingsError;
  /** Told the count before and after the points this batch was allowed (spend alerts, pumping alerts). */
  crossed?(before: number, after: number, refused: boolean): void;
}

export type Step = (m: Message, apiKeyId: string, opts: AdmitOptions) => Charge[];

export interface AdmitOptions {
  /**
   * False for messages that cannot be accidental repeats: the offsets of one reminder share their
   * text by design, and the reminder's reference already makes its creation idempotent.
   */
  duplicates?: boolean;
}

export const retryIn = (ms: number): string => `${Math.max(1, Math.ceil(ms / 1000))} s`;

export function refusal(code: ErrorCode, limit: string, message: string, state: CounterState): TidingsError {
  return new TidingsError(code, message, undefined, { limit, retryAfterMs: Math.max(1_000, state.resetInMs) });
}
