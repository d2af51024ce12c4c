/**
 * @module storage/webhook-delivery-repository
 * The webhook outbox and delivery log. Events published together (and by concurrent callers) are
 * inserted with one multi-row INSERT through the shared group commit, so the send path pays one
 * statement, not one per event. A claim leases due rows (storage/delivery-outbox): on PostgreSQL the
 * rows are locked as they are picked and rows another claimer holds are skipped (`FOR UPDATE SKIP
 * LOCKED`), so deliverers in several processes never send the same attempt twice.
 */
import type { Selectable } from 'kysely';
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
import { leaseRows, pruneSettled, recordResults } from './delivery-outbox.js';
import type { StorageHandle } from './handle.js';
import type { WebhookDeliveriesTable } from './schema.js';

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

/** Delivery ids are `whd_` + a ULID (main/app-webhooks), which is what makes pruning a key range. */
const ID_PREFIX = 'whd';

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
      await leaseRows(
        tx,
        'webhook_deliveries',
        live.map((r) => r.id),
        { until: now + leaseMs, token: leaseToken, now },
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

  complete(results: WebhookDeliveryResult[]): Promise<void> {
    return recordResults(this.storage, 'webhook_deliveries', results);
  }

  prune(before: number): Promise<number> {
    return pruneSettled(this.storage, 'webhook_deliveries', ID_PREFIX, before);
  }

  async list(endpointId: string, opts: { before?: string; limit: number }): Promise<WebhookDelivery[]> {
    let q = this.storage.db.selectFrom('webhook_deliveries').select(LOG_COLUMNS).where('endpoint_id', '=', endpointId);
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    return (await q.orderBy('id', 'desc').limit(opts.limit).execute()).map(fromRow);
  }
}
