/**
 * @module storage/message-repository
 * Messages and their event log on Kysely. Acceptance is one transaction: messages, first events,
 * dispatch jobs and the idempotency record commit together or not at all. The hot writes
 * (accepts, send results, provider reports) are coalesced: concurrent callers share one flush,
 * and the flushes of all repositories share one transaction (see group-commit).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Message, MessageEvent, MessageStatus } from '../core/message.js';
import { isPending } from '../core/status.js';
import type { StatusEvent } from '../core/status-event.js';
import type {
  AcceptOutcome,
  AttemptFailure,
  CancelOutcome,
  DuplicateGuard,
  FallbackMove,
  Repeat,
  FallbackRequest,
  IdempotencyRecord,
  MessageFilter,
  MessageStore,
  SentUpdate,
  StatusApplied,
} from '../ports/message-store.js';
import { Coalescer } from './coalesce.js';
import { applyFallbacks, selectDueForFallback } from './fallback-writes.js';
import type { StorageHandle } from './handle.js';
import type { NativeHandle } from './storage.js';
import {
  applyFailures,
  applyReports,
  applySent,
  insertAccepted,
  insertEvents,
  type Tx as WriteTx,
} from './message-writes.js';
import { duplicateKey } from '../core/duplicate-key.js';
import { RecentDuplicates } from './recent-duplicates.js';
import { acceptedEvent, chunk, fromEventRow, fromMessageRow } from './rows.js';
import type { Database } from './schema.js';

type Tx = Transaction<Database> | Kysely<Database>;

interface AcceptItem {
  messages: Message[];
  idempotency: IdempotencyRecord | null;
  guard?: DuplicateGuard;
}

async function findIdempotencyIn(tx: Tx, scope: string, key: string): Promise<IdempotencyRecord | null> {
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

/**
 * Which messages of the guarded items repeat a stored one, looked up in this transaction: with
 * the write lock held, no other writer can store a repeat between this read and the insert.
 */
function storedDuplicates(lookup: RecentDuplicates | null, items: AcceptItem[]): Map<Message, number> {
  // One lookup per window (there is one in practice), from the earliest `now` of the flush.
  const byWindow = new Map<number, { now: number; messages: Message[] }>();
  for (const { guard, messages } of items) {
    if (!guard) continue;
    const group = byWindow.get(guard.windowMs) ?? { now: guard.now, messages: [] };
    group.now = Math.min(group.now, guard.now);
    group.messages.push(...messages);
    byWindow.set(guard.windowMs, group);
  }
  const found = new Map<Message, number>();
  for (const [windowMs, { now, messages }] of byWindow) {
    if (!lookup) throw new Error('a duplicate guard was asked of a store that has none');
    const hits = lookup.find(messages, windowMs, now);
    hits.forEach((at, i) => at !== null && found.set(messages[i]!, at));
  }
  return found;
}

/**
 * Stores what is new; a key already used (before, or earlier in this same flush) yields its record.
 * A guarded item's repeats of stored messages, or of messages earlier in this flush, are left out.
 */
async function acceptMany(t: WriteTx, items: AcceptItem[], lookup: RecentDuplicates | null): Promise<AcceptOutcome[]> {
  const { tx } = t;
  const claimed = new Map<string, IdempotencyRecord>();
  const fresh: Message[] = [];
  const records: IdempotencyRecord[] = [];
  const outcomes: AcceptOutcome[] = [];
  const stored = storedDuplicates(lookup, items);
  const inFlush = new Map<number, Set<string>>();
  const seen = (windowMs: number): Set<string> => {
    let keys = inFlush.get(windowMs);
    if (!keys) inFlush.set(windowMs, (keys = new Set(fresh.map((m) => duplicateKey(m, windowMs)))));
    return keys;
  };
  for (const { messages, idempotency, guard } of items) {
    const slot = idempotency ? `${idempotency.scope}\n${idempotency.key}` : null;
    if (idempotency && slot) {
      const existing = claimed.get(slot) ?? (await findIdempotencyIn(tx, idempotency.scope, idempotency.key));
      if (existing) {
        outcomes.push({ kind: 'existing', record: existing });
        continue;
      }
    }
    const duplicates: Repeat[] = [];
    if (guard) {
      const keys = seen(guard.windowMs);
      messages.forEach((m, i) => {
        const key = duplicateKey(m, guard.windowMs);
        const earlierAt = stored.get(m);
        if (earlierAt !== undefined || keys.has(key)) duplicates.push({ index: i, earlierAt: earlierAt ?? null });
        else keys.add(key);
      });
    }
    const refused = new Set(duplicates.map((d) => d.index));
    const kept = refused.size === 0 ? messages : messages.filter((_, i) => !refused.has(i));
    if (refused.size > 0 && kept.length === 0) {
      outcomes.push({ kind: 'stored', duplicates });
      continue;
    }
    if (idempotency && slot) {
      const record = duplicates.length > 0 && guard?.recordWithout ? guard.recordWithout(duplicates) : idempotency;
      claimed.set(slot, record);
      records.push(record);
    }
    for (const m of kept) {
      fresh.push(m);
      for (const [windowMs, keys] of inFlush) if (windowMs !== guard?.windowMs) keys.add(duplicateKey(m, windowMs));
    }
    outcomes.push(duplicates.length === 0 ? { kind: 'stored' } : { kind: 'stored', duplicates });
  }
  if (fresh.length > 0) await insertAccepted(t, fresh);
  if (records.length > 0) {
    const now = fresh[0]?.createdAt ?? 0;
    for (const part of chunk(records, 1_000)) {
      await tx
        .insertInto('idempotency_keys')
        .values(
          part.map((r) => ({
            scope: r.scope,
            key: r.key,
            request_hash: r.requestHash,
            status_code: r.statusCode,
            response_body: r.responseBody,
            created_at: now,
          })),
        )
        .execute();
    }
  }
  return outcomes;
}

/**
 * Withdraws pending messages that no worker holds; returns the ids it canceled. A leased job row
 * is in an embedded worker's hands right now: too late to take it back. A message whose row the
 * Redis queue's relay already moved has no row at all: its worker checks the status before
 * sending, so the status change alone withdraws it. The row delete comes first, so a claimer on
 * PostgreSQL that locked the row wins, and the status update re-checks, so a start that marked
 * the message `sending` wins too.
 */
export async function takeBackJobs(t: WriteTx, ids: string[], at: number): Promise<string[]> {
  const { tx } = t;
  await tx.deleteFrom('jobs').where('message_id', 'in', ids).where('lease_token', 'is', null).execute();
  const held = new Set(
    (await tx.selectFrom('jobs').select('message_id').where('message_id', 'in', ids).execute()).map(
      (r) => r.message_id,
    ),
  );
  const free = ids.filter((id) => !held.has(id));
  if (free.length === 0) return [];
  const canceled = await tx
    .updateTable('messages')
    .set({ status: 'canceled', updated_at: at })
    .where('id', 'in', free)
    .where('status', 'in', ['queued', 'scheduled'])
    .returning('id')
    .execute();
  const done = new Set(canceled.map((r) => r.id));
  return free.filter((id) => done.has(id));
}

const none = <T>(items: T[]): undefined[] => items.map(() => undefined);

export class MessageRepository implements MessageStore {
  private readonly db: Kysely<Database>;
  /** SQLite's writers take turns (BEGIN IMMEDIATE), so its lookup in the accepting transaction is race-free. */
  private readonly duplicates: RecentDuplicates | null;
  readonly guardsDuplicates: boolean;

  constructor(private readonly storage: StorageHandle & { native?: NativeHandle }) {
    this.db = storage.db;
    this.duplicates = storage.native?.dialect === 'sqlite' ? new RecentDuplicates(storage.native.db) : null;
    this.guardsDuplicates = this.duplicates !== null;
  }

  /** Runs a write in the shared transaction, with the dialect the bulk statements need. */
  private write<T>(op: (t: WriteTx) => Promise<T>): Promise<T> {
    return this.storage.writes.run((tx) => op({ tx, dialect: this.storage.dialect }));
  }

  private readonly accepts = new Coalescer<AcceptItem, AcceptOutcome>((items) =>
    this.write((t) => acceptMany(t, items, this.duplicates)),
  );
  private readonly sent = new Coalescer<SentUpdate, undefined>((items) =>
    this.write((t) => applySent(t, items)).then(() => none(items)),
  );
  private readonly failures = new Coalescer<AttemptFailure, undefined>((items) =>
    this.write((t) => applyFailures(t, items)).then(() => none(items)),
  );

  findDuplicates(messages: readonly Message[], windowMs: number, now: number): Promise<Array<number | null>> {
    if (!this.duplicates) throw new Error('this store does not guard duplicates');
    return Promise.resolve(this.duplicates.find(messages, windowMs, now));
  }

  accept(messages: Message[], idempotency: IdempotencyRecord | null, guard?: DuplicateGuard): Promise<AcceptOutcome> {
    return this.accepts.submit(guard ? { messages, idempotency, guard } : { messages, idempotency });
  }

  findIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null> {
    return findIdempotencyIn(this.db, scope, key);
  }

  async get(id: string): Promise<Message | null> {
    const row = await this.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromMessageRow(row) : null;
  }

  async events(id: string): Promise<MessageEvent[]> {
    const message = await this.get(id);
    if (!message) return [];
    const rows = await this.db
      .selectFrom('message_events')
      .selectAll()
      .where('message_id', '=', id)
      .orderBy('seq')
      .execute();
    return [acceptedEvent(message), ...rows.map(fromEventRow)];
  }

  async list(filter: MessageFilter): Promise<Message[]> {
    let q = this.db.selectFrom('messages').selectAll();
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.to) q = q.where('to', '=', filter.to);
    if (filter.reference) q = q.where('reference', '=', filter.reference);
    if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since);
    if (filter.until !== undefined) q = q.where('created_at', '<', filter.until);
    if (filter.template) q = q.where('template', '=', filter.template);
    if (filter.before) q = q.where('id', '<', filter.before);
    const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(fromMessageRow);
  }

  async cancel(id: string, at: number): Promise<CancelOutcome> {
    return this.write(async (t) => {
      const { tx } = t;
      const row = await tx.selectFrom('messages').select(['status']).where('id', '=', id).executeTakeFirst();
      if (!row) return 'not_found';
      if (!isPending(row.status as MessageStatus)) return 'not_pending';
      const [taken] = await takeBackJobs(t, [id], at);
      if (taken === undefined) return 'not_pending';
      await insertEvents(t, [
        { messageId: id, type: 'canceled', status: 'canceled', at, provider: null, detail: null },
      ]);
      return 'canceled';
    });
  }

  cancelByReference(reference: string, at: number): Promise<string[]> {
    return this.cancelPending('reference', reference, at);
  }

  cancelByCampaign(campaignId: string, at: number): Promise<string[]> {
    return this.cancelPending('campaign_id', campaignId, at);
  }

  private cancelPending(column: 'reference' | 'campaign_id', value: string, at: number): Promise<string[]> {
    return this.write(async (t) => {
      const rows = await t.tx
        .selectFrom('messages')
        .select('id')
        .where(column, '=', value)
        .where('status', 'in', ['queued', 'scheduled'])
        .orderBy('id')
        .execute();
      const ids: string[] = [];
      for (const part of chunk(rows, 1_000)) {
        ids.push(
          ...(await takeBackJobs(
            t,
            part.map((r) => r.id),
            at,
          )),
        );
      }
      await insertEvents(
        t,
        ids.map((id) => ({
          messageId: id,
          type: 'canceled',
          status: 'canceled',
          at,
          provider: null,
          detail: column === 'reference' ? { reference: value } : { campaignId: value },
        })),
      );
      return ids;
    });
  }

  fallBack(requests: FallbackRequest[]): Promise<FallbackMove[]> {
    return this.write((t) => applyFallbacks(t, requests));
  }

  dueForFallback(now: number, limit: number): Promise<string[]> {
    return selectDueForFallback({ tx: this.db as unknown as WriteTx['tx'] }, now, limit);
  }

  recordSent(update: SentUpdate): Promise<void> {
    return this.sent.submit(update);
  }

  recordFailure(failure: AttemptFailure): Promise<void> {
    return this.failures.submit(failure);
  }

  applyStatus(provider: string, reports: StatusEvent[]): Promise<StatusApplied[]> {
    if (reports.length === 0) return Promise.resolve([]);
    return this.write((t) => applyReports(t, provider, reports));
  }
}
