/**
 * @module storage/webhook-delivery-repository
 * The webhook outbox and delivery log. Events published together (and by concurrent callers) are
 * inserted with one multi-row INSERT through the shared group commit, so the send path pays one
 * statement, not one per event. A claim leases due rows like the jobs table: on PostgreSQL the rows
 * are locked as they are picked and rows another claimer holds are skipped (`FOR UPDATE SKIP
 * LOCKED`), so deliverers in several processes never send the same attempt twice.
 */
import type { Selectable, Transaction } from 'kysely';
import type { AppEventType } from '../ports/app-events.js';
import type {
  LeasedWebhookDelivery,
  NewWebhookDelivery,
  WebhookDelivery,
  WebhookDeliveryResult,
  WebhookDeliveryStatus,
  WebhookDeliveryStore,
} from '../ports/webhook-deliveries.js';
import { bulkInsert } from './bulk-insert.js';
import { Coalescer } from './coalesce.js';
import type { StorageHandle } from './handle.js';
import { chunk } from './rows.js';
import type { Database, WebhookDeliveriesTable } from './schema.js';
import { paddedInList } from './statement-shapes.js';

const INSERT_COLUMNS = [
  'id',
  'endpoint_id',
  'event_type',
  'payload',
  'status',
  'attempts',
  'next_attempt_at',
  'created_at',
  'updated_at',
] as const;

/** Longest error text kept per delivery: enough to tell a timeout from a refused connection. */
const ERROR_LENGTH = 500;

type LogColumns = Exclude<keyof WebhookDeliveriesTable, 'payload' | 'lease_token'>;
const LOG_COLUMNS: readonly LogColumns[] = [
  'id',
  'endpoint_id',
  'event_type',
  'status',
  'attempts',
  'next_attempt_at',
  'last_status_code',
  'last_error',
  'created_at',
  'updated_at',
  'delivered_at',
];

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function fromRow(r: Pick<Selectable<WebhookDeliveriesTable>, LogColumns>): WebhookDelivery {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    eventType: r.event_type as AppEventType,
    status: r.status as WebhookDeliveryStatus,
    attempts: Number(r.attempts),
    lastStatusCode: num(r.last_status_code),
    lastError: r.last_error,
    nextAttemptAt: num(r.next_attempt_at),
    deliveredAt: num(r.delivered_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export class WebhookDeliveryRepository implements WebhookDeliveryStore {
  private readonly inserts = new Coalescer<NewWebhookDelivery[], void>((batches) =>
    this.storage.writes.run(async (tx) => {
      const rows = batches
        .flat()
        .map((d) => [d.id, d.endpointId, d.eventType, d.payload, 'pending', 0, d.createdAt, d.createdAt, d.createdAt]);
      await bulkInsert(tx, this.storage.dialect, 'webhook_deliveries', INSERT_COLUMNS, rows);
      return batches.map(() => undefined);
    }),
  );

  constructor(private readonly storage: StorageHandle) {}

  async enqueue(deliveries: NewWebhookDelivery[]): Promise<void> {
    if (deliveries.length > 0) await this.inserts.submit(deliveries);
  }

  claim(opts: { limit: number; now: number; leaseMs: number; leaseToken: string }): Promise<LeasedWebhookDelivery[]> {
    const { limit, now, leaseMs, leaseToken } = opts;
    if (limit <= 0) return Promise.resolve([]);
    return this.storage.writes.run(async (tx) => {
      const due = await tx
        .selectFrom('webhook_deliveries as d')
        .leftJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .select(['d.id', 'd.endpoint_id', 'd.event_type', 'd.payload', 'd.attempts', 'e.url', 'e.secret'])
        .where('d.next_attempt_at', '<=', now)
        .orderBy('d.next_attempt_at')
        .limit(limit)
        .$if(this.storage.dialect === 'postgres', (q) => q.forUpdate('d').skipLocked())
        .execute();
      // An event published while its endpoint was being deleted: nobody is left to deliver it to.
      const orphans = due.filter((r) => r.url === null).map((r) => r.id);
      if (orphans.length > 0) await tx.deleteFrom('webhook_deliveries').where('id', 'in', orphans).execute();
      const live = due.filter((r) => r.url !== null);
      if (live.length === 0) return [];
      await this.lease(
        tx,
        live.map((r) => r.id),
        now + leaseMs,
        leaseToken,
        now,
      );
      return live.map((r) => ({
        id: r.id,
        endpointId: r.endpoint_id,
        url: r.url ?? '',
        secret: r.secret ?? '',
        eventType: r.event_type as AppEventType,
        payload: r.payload,
        attempt: Number(r.attempts) + 1,
        leaseToken,
      }));
    });
  }

  private async lease(tx: Transaction<Database>, ids: string[], until: number, token: string, now: number) {
    for (const part of chunk(ids, 1_024)) {
      await tx
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          next_attempt_at: until,
          lease_token: token,
          attempts: eb('attempts', '+', 1),
          updated_at: now,
        }))
        .where('id', 'in', paddedInList(part))
        .execute();
    }
  }

  async complete(results: WebhookDeliveryResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.storage.writes.run(async (tx) => {
      for (const r of results) {
        const o = r.outcome;
        const settled = o.type !== 'retry';
        await tx
          .updateTable('webhook_deliveries')
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
          // A lease that ran out may have been taken and settled by another claimer meanwhile.
          .$if(settled, (q) => q.where('status', '=', 'pending'))
          .execute();
      }
    });
  }

  async list(endpointId: string, opts: { before?: string; limit: number }): Promise<WebhookDelivery[]> {
    let q = this.storage.db.selectFrom('webhook_deliveries').select(LOG_COLUMNS).where('endpoint_id', '=', endpointId);
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    return (await q.orderBy('id', 'desc').limit(opts.limit).execute()).map(fromRow);
  }
}
