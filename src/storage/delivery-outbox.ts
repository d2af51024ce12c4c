/**
 * @module storage/delivery-outbox
 * The lease rules shared by every outbox of outgoing HTTP callbacks (the application's webhook
 * deliveries and the Twilio-compatible status callbacks). Both tables have the same delivery
 * columns; only how a due row finds its URL and secret differs, so that stays with each repository.
 *
 * - A claim moves the due rows' `next_attempt_at` to the lease deadline and stamps them with the
 *   claimer's token, so a row is invisible to other claimers until the lease runs out.
 * - A result is recorded only by the lease that is still current: a lease that ran out may have
 *   been taken, and even settled, by another claimer meanwhile.
 * - Settled rows (delivered or failed) are pruned after a retention period. Ids are prefixed ULIDs,
 *   so "created before the cutoff" is a primary-key range, not a scan.
 */
import type { Transaction } from 'kysely';
import { encodeTime } from 'ulid';
import type { WebhookDeliveryResult } from '../ports/webhook-deliveries.js';
import type { StorageHandle } from './handle.js';
import { chunk } from './rows.js';
import type { Database } from './schema.js';
import { paddedInList } from './statement-shapes.js';

export type OutboxTable = 'webhook_deliveries' | 'twilio_callbacks';

/** Longest error text kept per attempt: enough to tell a timeout from a refused connection. */
const ERROR_LENGTH = 500;

/** Rows deleted per statement when pruning, so a prune never holds the write lock for long. */
const PRUNE_BATCH = 1_000;

// Both tables have the same delivery columns; Kysely is given one of them so the updates type-check.
const same = (table: OutboxTable): 'webhook_deliveries' => table as 'webhook_deliveries';

/** Leases the claimed rows until `until` and counts the attempt. */
export async function leaseRows(
  tx: Transaction<Database>,
  table: OutboxTable,
  ids: string[],
  lease: { until: number; token: string; now: number },
): Promise<void> {
  for (const part of chunk(ids, 1_024)) {
    await tx
      .updateTable(same(table))
      .set((eb) => ({
        next_attempt_at: lease.until,
        lease_token: lease.token,
        attempts: eb('attempts', '+', 1),
        updated_at: lease.now,
      }))
      .where('id', 'in', paddedInList(part))
      .execute();
  }
}

/** Records attempts: a retry goes back to pending at its next time, anything else is settled. */
export async function recordResults(
  storage: StorageHandle,
  table: OutboxTable,
  results: WebhookDeliveryResult[],
): Promise<void> {
  if (results.length === 0) return;
  await storage.writes.run(async (tx) => {
    for (const r of results) {
      const o = r.outcome;
      await tx
        .updateTable(same(table))
        .set({
          status: o.type === 'retry' ? 'pending' : o.type,
          next_attempt_at: o.type === 'retry' ? o.nextAttemptAt : null,
          lease_token: null,
          last_status_code: o.statusCode,
          last_error: o.type === 'delivered' ? null : o.error.slice(0, ERROR_LENGTH),
          updated_at: r.at,
          ...(o.type === 'delivered' ? { delivered_at: r.at } : {}),
        })
        .where('id', '=', r.id)
        .where('lease_token', '=', r.leaseToken)
        .$if(o.type !== 'retry', (q) => q.where('status', '=', 'pending'))
        .execute();
    }
  });
}

/**
 * Deletes settled rows created before `before` (ms since the epoch), in batches; rows still
 * pending are kept however old they are. Returns how many went.
 */
export async function pruneSettled(
  storage: StorageHandle,
  table: OutboxTable,
  idPrefix: string,
  before: number,
): Promise<number> {
  const cutoff = `${idPrefix}_${encodeTime(Math.max(0, before), 10)}`;
  let removed = 0;
  for (;;) {
    const n = await storage.writes.run(async (tx) => {
      const ids = await tx
        .selectFrom(same(table))
        .select('id')
        .where('id', '>', `${idPrefix}_`)
        .where('id', '<', cutoff)
        .where('status', '!=', 'pending')
        .limit(PRUNE_BATCH)
        .execute();
      if (ids.length === 0) return 0;
      await tx
        .deleteFrom(same(table))
        .where(
          'id',
          'in',
          ids.map((r) => r.id),
        )
        .execute();
      return ids.length;
    });
    removed += n;
    if (n < PRUNE_BATCH) return removed;
  }
}
