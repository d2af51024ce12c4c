/**
 * @module app/suppression-list
 * Who must not be texted, checked on every accept and again just before every send (a STOP that
 * arrives while a message waits in the queue wins). Both checks read an in-memory copy, because a
 * database read per message would cost more than the rest of acceptance. The copy follows this
 * runtime's own writes at once, the other thread's of the same process as soon as it is told
 * (`onChange`, main/dispatch-thread), and other processes' within SUPPRESSIONS_REFRESH_MS.
 *
 * Policy: `invalid` (the carrier says the number does not exist), `complaint` and `manual` entries
 * refuse every message. `opted_out` refuses every purpose except those the operator exempts
 * (TIDINGS_SUPPRESSION_EXEMPT, e.g. `otp`: a person who texted STOP to marketing may still need a
 * login code).
 */
import { TidingsError } from '../core/errors.js';
import type { Purpose } from '../core/message.js';
import type { Suppression, SuppressionReason, SuppressionStore } from '../ports/suppression-store.js';

export const SUPPRESSIONS_REFRESH_MS = 5_000;

export class SuppressionList {
  private numbers = new Map<string, SuppressionReason>();
  private seenVersion = '';
  private readonly changeListeners: Array<() => void> = [];

  constructor(
    private readonly store: SuppressionStore,
    private readonly exemptFromOptOut: ReadonlySet<Purpose>,
  ) {}

  /** The reason this number may not get a message of this purpose, or null when it may. */
  blocks(number: string, purpose: Purpose): SuppressionReason | null {
    const reason = this.numbers.get(number);
    if (reason === undefined) return null;
    if (reason === 'opted_out' && this.exemptFromOptOut.has(purpose)) return null;
    return reason;
  }

  check(number: string, purpose: Purpose, field = 'to'): void {
    const reason = this.blocks(number, purpose);
    if (reason !== null) {
      throw new TidingsError('recipient_suppressed', `This number is on the suppression list (${reason}).`, field);
    }
  }

  async refresh(): Promise<void> {
    const version = await this.store.version();
    if (version === this.seenVersion) return;
    const all = await this.store.all();
    this.numbers = new Map(all.map((e) => [e.number, e.reason]));
    this.seenVersion = version;
  }

  async add(entry: Suppression): Promise<void> {
    await this.store.put(entry);
    this.numbers.set(entry.number, entry.reason);
    this.changed();
  }

  async remove(number: string): Promise<boolean> {
    const removed = await this.store.remove(number);
    this.numbers.delete(number);
    this.changed();
    return removed;
  }

  /** Called after each change this runtime stores, so that another copy can refresh at once. */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  get size(): number {
    return this.numbers.size;
  }
}
