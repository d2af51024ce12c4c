/**
 * @module storage/alert-ledger-repository
 * One row per alert condition, shared by every process. Deciding who notifies is a single
 * conditional UPDATE, atomic on SQLite and PostgreSQL alike: of all the processes that see the same
 * outage at the same moment, exactly one changes the row, and only that one sends the alert.
 */
import type { AlertLedger } from '../ports/alerts.js';
import type { StorageHandle } from './handle.js';

export class AlertLedgerRepository implements AlertLedger {
  constructor(private readonly storage: StorageHandle) {}

  fire(condition: string, now: number, coolDownMs: number): Promise<boolean> {
    return this.storage.writes.run(async (tx) => {
      await tx
        .insertInto('alert_state')
        .values({ condition, firing: 0, notified_at: null, resolved_at: null })
        .onConflict((oc) => oc.column('condition').doNothing())
        .execute();
      const res = await tx
        .updateTable('alert_state')
        .set({ firing: 1, notified_at: now })
        .where('condition', '=', condition)
        .where((eb) => eb.or([eb('notified_at', 'is', null), eb('notified_at', '<=', now - coolDownMs)]))
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    });
  }

  resolve(condition: string, now: number): Promise<boolean> {
    return this.storage.writes.run(async (tx) => {
      const res = await tx
        .updateTable('alert_state')
        .set({ firing: 0, resolved_at: now })
        .where('condition', '=', condition)
        .where('firing', '=', 1)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    });
  }
}
