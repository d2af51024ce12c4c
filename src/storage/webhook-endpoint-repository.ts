/**
 * @module storage/webhook-endpoint-repository
 * The application's webhook endpoints. Every change bumps a counter in the same transaction, which
 * is what other processes poll to know their in-memory copy of the subscriptions is stale.
 */
import { sql, type Selectable, type Transaction } from 'kysely';
import type { AppEventType } from '../ports/app-events.js';
import type { WebhookEndpoint, WebhookEndpointStore } from '../ports/webhook-endpoints.js';
import type { StorageHandle } from './handle.js';
import type { Database, WebhookEndpointsTable } from './schema.js';

const COUNTER = 'webhook_endpoints';

function fromRow(r: Omit<Selectable<WebhookEndpointsTable>, 'secret'>): WebhookEndpoint {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    eventTypes: r.event_types === null ? null : (JSON.parse(r.event_types) as AppEventType[]),
    createdAt: Number(r.created_at),
  };
}

const COLUMNS = ['id', 'url', 'description', 'event_types', 'created_at'] as const;

async function bump(tx: Transaction<Database>): Promise<void> {
  await tx
    .insertInto('change_counters')
    .values({ name: COUNTER, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`change_counters.value + 1` }))
    .execute();
}

export class WebhookEndpointRepository implements WebhookEndpointStore {
  constructor(private readonly storage: StorageHandle) {}

  create(e: WebhookEndpoint, secret: string): Promise<void> {
    return this.storage.writes.run(async (tx) => {
      await tx
        .insertInto('webhook_endpoints')
        .values({
          id: e.id,
          url: e.url,
          description: e.description,
          event_types: e.eventTypes === null ? null : JSON.stringify(e.eventTypes),
          secret,
          created_at: e.createdAt,
        })
        .execute();
      await bump(tx);
    });
  }

  async get(id: string): Promise<WebhookEndpoint | null> {
    const row = await this.storage.db
      .selectFrom('webhook_endpoints')
      .select(COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async list(opts: { after?: string; limit: number }): Promise<WebhookEndpoint[]> {
    let q = this.storage.db.selectFrom('webhook_endpoints').select(COLUMNS);
    if (opts.after !== undefined) q = q.where('id', '>', opts.after);
    return (await q.orderBy('id').limit(opts.limit).execute()).map(fromRow);
  }

  async all(): Promise<WebhookEndpoint[]> {
    return (await this.storage.db.selectFrom('webhook_endpoints').select(COLUMNS).orderBy('id').execute()).map(fromRow);
  }

  remove(id: string): Promise<boolean> {
    return this.storage.writes.run(async (tx) => {
      const res = await tx.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) return false;
      await tx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
      await bump(tx);
      return true;
    });
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
