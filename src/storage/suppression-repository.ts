/**
 * @module storage/suppression-repository
 * The suppression list. Every change bumps a counter in the same transaction, which is what other
 * processes poll to know their in-memory copy is stale.
 */
import { sql, type Selectable, type Transaction } from 'kysely';
import type { Suppression, SuppressionReason, SuppressionStore } from '../ports/suppression-store.js';
import type { StorageHandle } from './handle.js';
import type { Database, SuppressionsTable } from './schema.js';

const COUNTER = 'suppressions';

function fromRow(r: Selectable<SuppressionsTable>): Suppression {
  return {
    number: r.number,
    reason: r.reason as SuppressionReason,
    source: r.source,
    sourceMessageId: r.source_message_id,
    note: r.note,
    createdAt: Number(r.created_at),
  };
}

async function bump(tx: Transaction<Database>): Promise<void> {
  await tx
    .insertInto('change_counters')
    .values({ name: COUNTER, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`change_counters.value + 1` }))
    .execute();
}

export class SuppressionRepository implements SuppressionStore {
  constructor(private readonly storage: StorageHandle) {}

  async get(number: string): Promise<Suppression | null> {
    const row = await this.storage.db
      .selectFrom('suppressions')
      .selectAll()
      .where('number', '=', number)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  put(e: Suppression): Promise<void> {
    return this.storage.writes.run(async (tx) => {
      const values = {
        reason: e.reason,
        source: e.source,
        source_message_id: e.sourceMessageId,
        note: e.note,
        created_at: e.createdAt,
      };
      await tx
        .insertInto('suppressions')
        .values({ number: e.number, ...values })
        .onConflict((oc) => oc.column('number').doUpdateSet(values))
        .execute();
      await bump(tx);
    });
  }

  remove(number: string): Promise<boolean> {
    return this.storage.writes.run(async (tx) => {
      const res = await tx.deleteFrom('suppressions').where('number', '=', number).executeTakeFirst();
      const removed = Number(res.numDeletedRows) > 0;
      if (removed) await bump(tx);
      return removed;
    });
  }

  async list(opts: { after?: string; reason?: SuppressionReason; limit: number }): Promise<Suppression[]> {
    let q = this.storage.db.selectFrom('suppressions').selectAll();
    if (opts.after !== undefined) q = q.where('number', '>', opts.after);
    if (opts.reason !== undefined) q = q.where('reason', '=', opts.reason);
    const rows = await q.orderBy('number').limit(opts.limit).execute();
    return rows.map(fromRow);
  }

  async all(): Promise<{ number: string; reason: SuppressionReason }[]> {
    const rows = await this.storage.db.selectFrom('suppressions').select(['number', 'reason']).execute();
    return rows.map((r) => ({ number: r.number, reason: r.reason as SuppressionReason }));
  }

  async version(): Promise<string> {
    const row = await this.storage.db
      .selectFrom('change_counters')
      .select('value')
      .where('name', '=', COUNTER)
      .executeTakeFirst();
    return String(Number(row?.value ?? 0));
  }
}
