/**
 * @module storage/twilio-callback-repository
 * The outbox of Twilio-style status callbacks. Same lease rules as the application's webhook
 * deliveries (storage/delivery-outbox), so the same delivery loop drives both: due rows are leased
 * until a deadline (with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several workers never send the
 * same attempt), and a result is recorded only by the lease that is still current. The
 * claim joins the account for its auth token, which signs the callback.
 */
import type { AppEventType } from '../ports/app-events.js';
import type { NewTwilioCallback, TwilioCallbackStore } from '../ports/twilio-compat.js';
import type { LeasedWebhookDelivery, WebhookDeliveryResult } from '../ports/webhook-deliveries.js';
import { bulkInsert } from './bulk-insert.js';
import { Coalescer } from './coalesce.js';
import { leaseRows, pruneSettled, recordResults } from './delivery-outbox.js';
import type { StorageHandle } from './handle.js';

const INSERT_COLUMNS = [
  'id',
  'account_sid',
  'message_id',
  'url',
  'event_type',
  'payload',
  'status',
  'attempts',
  'next_attempt_at',
  'created_at',
  'updated_at',
] as const;

/** Callback ids are `twc_` + a ULID (main/twilio-compat), which is what makes pruning a key range. */
const ID_PREFIX = 'twc';

export class TwilioCallbackRepository implements TwilioCallbackStore {
  private readonly inserts = new Coalescer<NewTwilioCallback[], void>((batches) =>
    this.storage.writes.run(async (tx) => {
      const rows = batches
        .flat()
        .map((c) => [
          c.id,
          c.accountSid,
          c.messageId,
          c.url,
          c.eventType,
          c.payload,
          'pending',
          0,
          c.createdAt,
          c.createdAt,
          c.createdAt,
        ]);
      await bulkInsert(tx, this.storage.dialect, 'twilio_callbacks', INSERT_COLUMNS, rows);
      return batches.map(() => undefined);
    }),
  );

  constructor(private readonly storage: StorageHandle) {}

  async enqueue(callbacks: NewTwilioCallback[]): Promise<void> {
    if (callbacks.length > 0) await this.inserts.submit(callbacks);
  }

  claim(opts: { limit: number; now: number; leaseMs: number; leaseToken: string }): Promise<LeasedWebhookDelivery[]> {
    const { limit, now, leaseMs, leaseToken } = opts;
    if (limit <= 0) return Promise.resolve([]);
    return this.storage.writes.run(async (tx) => {
      const due = await tx
        .selectFrom('twilio_callbacks as c')
        .leftJoin('twilio_compat_accounts as a', 'a.sid', 'c.account_sid')
        .select(['c.id', 'c.account_sid', 'c.url', 'c.event_type', 'c.payload', 'c.attempts', 'a.auth_token'])
        .where('c.next_attempt_at', '<=', now)
        .orderBy('c.next_attempt_at')
        .limit(limit)
        .$if(this.storage.dialect === 'postgres', (q) => q.forUpdate('c').skipLocked())
        .execute();
      // The account is gone from the database: nothing to sign with, nobody to deliver for.
      const orphans = due.filter((r) => r.auth_token === null).map((r) => r.id);
      if (orphans.length > 0) await tx.deleteFrom('twilio_callbacks').where('id', 'in', orphans).execute();
      const live = due.filter((r) => r.auth_token !== null);
      await leaseRows(
        tx,
        'twilio_callbacks',
        live.map((r) => r.id),
        { until: now + leaseMs, token: leaseToken, now },
      );
      return live.map((r) => ({
        id: r.id,
        endpointId: r.account_sid,
        url: r.url,
        secret: r.auth_token ?? '',
        eventType: r.event_type as AppEventType,
        payload: r.payload,
        attempt: Number(r.attempts) + 1,
        leaseToken,
      }));
    });
  }

  complete(results: WebhookDeliveryResult[]): Promise<void> {
    return recordResults(this.storage, 'twilio_callbacks', results);
  }

  prune(before: number): Promise<number> {
    return pruneSettled(this.storage, 'twilio_callbacks', ID_PREFIX, before);
  }
}
