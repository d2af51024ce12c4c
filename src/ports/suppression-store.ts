/**
 * @module ports/suppression-store
 * Numbers that must not be texted: people who opted out, numbers a carrier says do not exist,
 * numbers an operator blocked. Keyed by E.164 number; one entry per number, the latest reason wins.
 */
export type SuppressionReason = 'opted_out' | 'invalid' | 'complaint' | 'manual';
export const SUPPRESSION_REASONS: readonly SuppressionReason[] = ['opted_out', 'invalid', 'complaint', 'manual'];

export interface Suppression {
  number: string;
  reason: SuppressionReason;
  /** Who put it there: `api`, a provider id (`twilio:primary`), `keyword`. */
  source: string;
  /** The message that caused it (the failed send, or the inbound STOP), when there is one. */
  sourceMessageId: string | null;
  note: string | null;
  createdAt: number;
}

export interface SuppressionStore {
  get(number: string): Promise<Suppression | null>;
  /** Adds or replaces the entry for `number`. */
  put(entry: Suppression): Promise<void>;
  remove(number: string): Promise<boolean>;
  /** A page in number order, after `after` (exclusive). */
  list(opts: { after?: string; reason?: SuppressionReason; limit: number }): Promise<Suppression[]>;
  /** Every suppressed number and its reason, for the in-memory check on the accept path. */
  all(): Promise<{ number: string; reason: SuppressionReason }[]>;
  /** Changes whenever the list does; cheap, so other processes can poll it. */
  version(): Promise<string>;
}
