/**
 * @module storage/message-repository
 * Messages and their event log on Kysely. Acceptance is one transaction: messages, first events,
 * dispatch jobs and the idempotency record commit together or not at all.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Message, MessageEvent, MessageStatus } from '../core/message.js';
import { canAdvance, isPending } from '../core/status.js';
import type { StatusEvent } from '../core/status-event.js';
import type {
  AcceptOutcome,
  AttemptFailure,
  CancelOutcome,
  IdempotencyRecord,
  MessageFilter,
  MessageStore,
  SentUpdate,
  StatusApplied,
} from '../ports/message-store.js';
import type { GroupCommit } from './group-commit.js';
import { chunk, fromEventRow, fromMessageRow, toEventRow, toMessageRow } from './rows.js';
import type { Database } from './schema.js';

// 20 columns a message row: 1,000 rows stay under SQLite's 32,766 bound parameters.
const MESSAGE_CHUNK = 1_000;
const EVENT_CHUNK = 4_000;

type Tx = Transaction<Database> | Kysely<Database>;

async function insertEvents(tx: Tx, events: MessageEvent[]): Promise<void> {
  for (const part of chunk(events, EVENT_CHUNK)) {
    await tx.insertInto('message_events').values(part.map(toEventRow)).execute();
  }
}

export class MessageRepository implements MessageStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly writes: GroupCommit<Database>,
  ) {}

  async accept(messages: Message[], idempotency: IdempotencyRecord | null): Promise<AcceptOutcome> {
    return this.writes.run(async (tx) => {
      if (idempotency) {
        const existing = await this.findIdempotencyIn(tx, idempotency.scope, idempotency.key);
        if (existing) return { kind: 'existing', record: existing } as const;
      }
      for (const part of chunk(messages, MESSAGE_CHUNK)) {
        await tx.insertInto('messages').values(part.map(toMessageRow)).execute();
        await tx
          .insertInto('jobs')
          .values(
            part.map((m) => ({
              message_id: m.id,
              visible_at: m.sendAt ?? m.createdAt,
              attempts: 0,
              lease_token: null,
            })),
          )
          .execute();
      }
      await insertEvents(
        tx,
        messages.map((m) => ({
          messageId: m.id,
          type: 'accepted',
          status: m.status,
          at: m.createdAt,
          provider: null,
          detail: m.sendAt === null ? null : { sendAt: new Date(m.sendAt).toISOString() },
        })),
      );
      if (idempotency) {
        await tx
          .insertInto('idempotency_keys')
          .values({
            scope: idempotency.scope,
            key: idempotency.key,
            request_hash: idempotency.requestHash,
            status_code: idempotency.statusCode,
            response_body: idempotency.responseBody,
            created_at: messages[0]?.createdAt ?? 0,
          })
          .execute();
      }
      return { kind: 'stored' } as const;
    });
  }

  findIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null> {
    return this.findIdempotencyIn(this.db, scope, key);
  }

  private async findIdempotencyIn(tx: Tx, scope: string, key: string): Promise<IdempotencyRecord | null> {
    const row = await tx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return null;
    return {
      scope: row.scope,
      key: row.key,
      requestHash: row.request_hash,
      statusCode: Number(row.status_code),
      responseBody: row.response_body,
    };
  }

  async get(id: string): Promise<Message | null> {
    const row = await this.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromMessageRow(row) : null;
  }

  async events(id: string): Promise<MessageEvent[]> {
    const rows = await this.db
      .selectFrom('message_events')
      .selectAll()
      .where('message_id', '=', id)
      .orderBy('seq')
      .execute();
    return rows.map(fromEventRow);
  }

  async list(filter: MessageFilter): Promise<Message[]> {
    let q = this.db.selectFrom('messages').selectAll();
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.to) q = q.where('to', '=', filter.to);
    if (filter.reference) q = q.where('reference', '=', filter.reference);
    if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since);
    if (filter.before) q = q.where('id', '<', filter.before);
    const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(fromMessageRow);
  }

  async cancel(id: string, at: number): Promise<CancelOutcome> {
    return this.writes.run(async (tx) => {
      const row = await tx.selectFrom('messages').select(['status']).where('id', '=', id).executeTakeFirst();
      if (!row) return 'not_found';
      if (!isPending(row.status as MessageStatus)) return 'not_pending';
      // A job under lease is in a worker's hands right now: too late to take it back.
      const removed = await tx
        .deleteFrom('jobs')
        .where('message_id', '=', id)
        .where('lease_token', 'is', null)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) return 'not_pending';
      await tx.updateTable('messages').set({ status: 'canceled', updated_at: at }).where('id', '=', id).execute();
      await insertEvents(tx, [
        { messageId: id, type: 'canceled', status: 'canceled', at, provider: null, detail: null },
      ]);
      return 'canceled';
    });
  }

  async cancelByReference(reference: string, at: number): Promise<string[]> {
    return this.writes.run(async (tx) => {
      const rows = await tx
        .selectFrom('messages')
        .innerJoin('jobs', 'jobs.message_id', 'messages.id')
        .select('messages.id as id')
        .where('messages.reference', '=', reference)
        .where('messages.status', 'in', ['queued', 'scheduled'])
        .where('jobs.lease_token', 'is', null)
        .execute();
      const ids = rows.map((r) => r.id);
      for (const part of chunk(ids, 1_000)) {
        await tx.deleteFrom('jobs').where('message_id', 'in', part).execute();
        await tx.updateTable('messages').set({ status: 'canceled', updated_at: at }).where('id', 'in', part).execute();
      }
      await insertEvents(
        tx,
        ids.map((id) => ({
          messageId: id,
          type: 'canceled',
          status: 'canceled',
          at,
          provider: null,
          detail: { reference },
        })),
      );
      return ids;
    });
  }

  async recordSent(u: SentUpdate): Promise<void> {
    await this.writes.run(async (tx) => {
      await tx
        .updateTable('messages')
        .set({ provider: u.provider, provider_message_id: u.providerMessageId, attempts: u.attempt, updated_at: u.at })
        .where('id', '=', u.id)
        .execute();
      // A fast callback may already have moved the message past `sent`; never step back.
      await tx
        .updateTable('messages')
        .set({ status: 'sent' })
        .where('id', '=', u.id)
        .where('status', 'in', ['queued', 'scheduled', 'sending'])
        .execute();
      await insertEvents(tx, [
        {
          messageId: u.id,
          type: 'status',
          status: 'sent',
          at: u.at,
          provider: u.provider,
          detail: {
            attempt: u.attempt,
            providerMessageId: u.providerMessageId,
            latencyMs: u.latencyMs,
            providerStatus: u.status,
          },
        },
      ]);
    });
  }

  async recordFailure(f: AttemptFailure): Promise<void> {
    const final = f.retryAt === undefined;
    await this.writes.run(async (tx) => {
      await tx
        .updateTable('messages')
        .set({
          status: final ? 'failed' : 'queued',
          provider: f.provider,
          attempts: f.attempt,
          error_code: f.errorCode ?? f.kind,
          error_message: f.errorMessage,
          updated_at: f.at,
        })
        .where('id', '=', f.id)
        .where('status', 'in', ['queued', 'scheduled', 'sending'])
        .execute();
      await insertEvents(tx, [
        {
          messageId: f.id,
          type: final ? 'status' : 'attempt_failed',
          status: final ? 'failed' : 'queued',
          at: f.at,
          provider: f.provider,
          detail: {
            attempt: f.attempt,
            kind: f.kind,
            errorCode: f.errorCode,
            errorMessage: f.errorMessage,
            ...(final ? {} : { retryAt: new Date(f.retryAt ?? 0).toISOString() }),
          },
        },
      ]);
    });
  }

  async applyStatus(provider: string, reports: StatusEvent[]): Promise<StatusApplied[]> {
    if (reports.length === 0) return [];
    return this.writes.run(async (tx) => {
      const applied: StatusApplied[] = [];
      for (const report of reports) {
        const row = await tx
          .selectFrom('messages')
          .select(['id', 'status', 'channel', 'provider'])
          .where('provider_message_id', '=', report.providerMessageId)
          .executeTakeFirst();
        if (!row) continue;
        const advance = canAdvance(row.status as MessageStatus, report.status);
        if (advance) {
          const failed = report.status === 'failed' || report.status === 'undelivered';
          await tx
            .updateTable('messages')
            .set({
              status: report.status,
              updated_at: report.at,
              ...(failed ? { error_code: report.errorCode, error_message: report.errorMessage } : {}),
            })
            .where('id', '=', row.id)
            .execute();
        }
        await insertEvents(tx, [
          {
            messageId: row.id,
            type: advance ? 'status' : 'status_ignored',
            status: report.status,
            at: report.at,
            provider: row.provider ?? provider,
            detail: {
              ...report.detail,
              ...(report.errorCode ? { errorCode: report.errorCode } : {}),
              ...(report.errorMessage ? { errorMessage: report.errorMessage } : {}),
              ...(advance ? {} : { previous: row.status }),
            },
          },
        ]);
        applied.push({
          messageId: row.id,
          provider: row.provider,
          channel: row.channel,
          status: report.status,
          applied: advance,
        });
      }
      return applied;
    });
  }

  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
