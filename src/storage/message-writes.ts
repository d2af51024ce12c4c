/**
 * @module storage/message-writes
 * The hot writes, in bulk: many accepted messages, send results or provider reports per statement.
 * Updates join a VALUES list (`UPDATE … FROM (VALUES …)`, which SQLite and PostgreSQL both speak),
 * so a flush costs a handful of statements however many messages it carries.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Message, MessageEvent, MessageStatus } from '../core/message.js';
import { canAdvance } from '../core/status.js';
import type { StatusEvent } from '../core/status-event.js';
import type { AttemptFailure, SentUpdate, StatusApplied } from '../ports/message-store.js';
import { bulkInsert } from './bulk-insert.js';
import type { Dialect } from './dialect.js';
import { fixedSizeChunks, paddedInList } from './statement-shapes.js';
import { EVENT_COLUMNS, JOB_COLUMNS, MESSAGE_COLUMNS, chunk, eventValues, messageValues } from './rows.js';
import type { Database } from './schema.js';
import { DIMS_SELECT, RollupDelta, dimsOf, type DimsRow } from './rollup-delta.js';
import { recordRollups } from './rollup-writes.js';

/** A transaction together with the dialect it speaks (bulk inserts write their own SQL). */
export interface Tx {
  tx: Transaction<Database>;
  dialect: Dialect;
}

export async function insertEvents({ tx, dialect }: Tx, events: MessageEvent[]): Promise<void> {
  await bulkInsert(tx, dialect, 'message_events', EVENT_COLUMNS, events.map(eventValues));
}

/** Messages and their dispatch jobs (the `accepted` event is the message row itself). */
export async function insertAccepted({ tx, dialect }: Tx, messages: Message[]): Promise<void> {
  await bulkInsert(tx, dialect, 'messages', MESSAGE_COLUMNS, messages.map(messageValues));
  await bulkInsert(
    tx,
    dialect,
    'jobs',
    JOB_COLUMNS,
    messages.map((m) => [m.id, m.sendAt ?? m.createdAt, 0, null]),
  );
  const links = messages.flatMap((m) => (m.links ?? []).map((l) => [l.code, m.id, l.url, m.createdAt, 0, null]));
  if (links.length > 0) await bulkInsert(tx, dialect, 'short_links', LINK_COLUMNS, links);
  const delta = new RollupDelta();
  for (const m of messages) delta.add(dimsOf(acceptedDims(m)), { counts: { accepted: 1 } });
  await recordRollups({ tx, dialect }, delta);
}

const LINK_COLUMNS = ['code', 'message_id', 'url', 'created_at', 'clicks', 'first_click_at'] as const;

function acceptedDims(m: Message): DimsRow {
  return {
    send_at: m.sendAt,
    created_at: m.createdAt,
    provider: null,
    template: m.template?.name ?? null,
    variant: m.template?.variant ?? null,
    country: m.country ?? null,
    purpose: m.purpose,
    channel: m.channel,
    cost_currency: m.cost?.currency ?? null,
    price_currency: null,
  };
}

/** What UPDATE … RETURNING gives back for the rollups: the key, and what a send costs. */
const RETURNED = sql.raw(
  [...DIMS_SELECT, 'status', 'segments', 'cost', 'price'].map((c) => `messages.${c}`).join(', '),
);
type Returned = DimsRow & { status: string; segments: number; cost: number | null; price: number | null };

function countSent(delta: RollupDelta, r: Returned): void {
  delta.add(dimsOf(r), {
    counts: { sent: 1, segments: r.channel === 'sms' ? Number(r.segments) : 0 },
    cost: Number(r.price_currency !== null ? (r.price ?? 0) : (r.cost ?? 0)),
  });
}

// PostgreSQL types a VALUES list's parameters as text unless told otherwise: numbers are cast.
const int = (v: number): RawBuilder<unknown> => sql`CAST(${v} AS bigint)`;
/** Updates in id order, so concurrent writers (other processes on PostgreSQL) lock rows in one order. */
const byId = <T extends { id: string }>(items: T[]): T[] => [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
const STILL_OURS = sql`messages.status IN ('queued', 'scheduled', 'sending')`;
/**
 * STILL_OURS as a filter. SQLite (without statistics) would drive the update from the status index,
 * and with a large backlog every queued message is a candidate, scanned against the whole VALUES
 * list: `+` keeps it on the primary key, one lookup per row of the list.
 */
const stillOurs = (d: Dialect) =>
  d === 'sqlite' ? sql`+messages.status IN ('queued', 'scheduled', 'sending')` : STILL_OURS;

export async function applySent(t: Tx, updates: SentUpdate[]): Promise<void> {
  const delta = new RollupDelta();
  for (const part of fixedSizeChunks(byId(updates))) {
    const rows = part.map(
      (u) =>
        sql`(${u.id}, ${u.provider}, ${u.providerMessageId}, ${int(u.attempt)}, ${int(u.at)}, CAST(${u.price?.amount ?? null} AS double precision), CAST(${u.price?.currency ?? null} AS text), CAST(${u.fallbackAt ?? null} AS bigint))`,
    );
    // A fast callback may already have moved a message past `sent`: keep its status, record the rest.
    const returned =
      await sql<Returned>`UPDATE messages SET provider = v.column2, provider_message_id = v.column3, attempts = v.column4,
      updated_at = v.column5, status = CASE WHEN ${STILL_OURS} THEN 'sent' ELSE messages.status END,
      price = COALESCE(v.column6, messages.price), price_currency = COALESCE(v.column7, messages.price_currency),
      fallback_at = v.column8, sent_at = v.column5
      FROM (VALUES ${sql.join(rows)}) AS v WHERE messages.id = v.column1 RETURNING ${RETURNED}`.execute(t.tx);
    for (const r of returned.rows) countSent(delta, r);
  }
  await recordRollups(t, delta);
  await insertEvents(
    t,
    updates.map((u) => ({
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
    })),
  );
}

export async function applyFailures(t: Tx, failures: AttemptFailure[]): Promise<void> {
  const delta = new RollupDelta();
  for (const part of fixedSizeChunks(byId(failures))) {
    const rows = part.map(
      (f) =>
        sql`(${f.id}, ${f.retryAt === undefined ? 'failed' : 'queued'}, ${f.provider}, ${int(f.attempt)}, ${f.errorCode ?? f.kind}, ${f.errorMessage}, ${int(f.at)})`,
    );
    const returned =
      await sql<Returned>`UPDATE messages SET status = v.column2, provider = v.column3, attempts = v.column4, error_code = v.column5,
      error_message = v.column6, updated_at = v.column7
      FROM (VALUES ${sql.join(rows)}) AS v WHERE messages.id = v.column1 AND ${stillOurs(t.dialect)} RETURNING ${RETURNED}`.execute(
        t.tx,
      );
    // Only a final failure counts; a retry is not an outcome yet.
    for (const r of returned.rows) if (r.status === 'failed') delta.add(dimsOf(r), { counts: { failed: 1 } });
  }
  await recordRollups(t, delta);
  await insertEvents(
    t,
    failures.map((f) => {
      const final = f.retryAt === undefined;
      return {
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
      };
    }),
  );
}

interface Tracked {
  id: string;
  status: MessageStatus;
  channel: string;
  provider: string | null;
  changed: StatusEvent | null;
  row: DimsRow & { sent_at: number | null };
}

const OUTCOMES = new Set<MessageStatus>(['delivered', 'undelivered', 'failed']);

/** Provider reports, applied in order and monotonically; reports for unknown ids are skipped. */
export async function applyReports(t: Tx, provider: string, reports: StatusEvent[]): Promise<StatusApplied[]> {
  const byProviderId = new Map<string, Tracked>();
  const ids = [...new Set(reports.map((r) => r.providerMessageId))];
  for (const part of chunk(ids, 1_024)) {
    const rows = await t.tx
      .selectFrom('messages')
      .select(['id', 'status', 'provider_message_id', 'sent_at', ...DIMS_SELECT])
      .where('provider_message_id', 'in', paddedInList(part))
      // Several processes may apply reports for one message at once: on PostgreSQL the rows are
      // locked (in id order) until this transaction commits, so each sees the other's status.
      .$if(t.dialect === 'postgres', (q) => q.orderBy('id').forUpdate())
      .execute();
    for (const r of rows) {
      if (r.provider_message_id === null) continue;
      byProviderId.set(r.provider_message_id, {
        id: r.id,
        status: r.status as MessageStatus,
        channel: r.channel,
        provider: r.provider,
        changed: null,
        row: r,
      });
    }
  }
  const applied: StatusApplied[] = [];
  const events: MessageEvent[] = [];
  for (const report of reports) {
    const m = byProviderId.get(report.providerMessageId);
    if (!m) continue;
    const previous = m.status;
    const advance = canAdvance(previous, report.status);
    if (advance) {
      m.status = report.status;
      m.changed = report;
    }
    events.push({
      messageId: m.id,
      type: advance ? 'status' : 'status_ignored',
      status: report.status,
      at: report.at,
      provider: m.provider ?? provider,
      detail: {
        ...report.detail,
        ...(report.errorCode ? { errorCode: report.errorCode } : {}),
        ...(report.errorMessage ? { errorMessage: report.errorMessage } : {}),
        ...(advance ? {} : { previous }),
      },
    });
    applied.push({
      messageId: m.id,
      providerMessageId: report.providerMessageId,
      provider: m.provider,
      channel: m.channel,
      status: report.status,
      applied: advance,
    });
  }
  const changed = byId([...byProviderId.values()].filter((m) => m.changed !== null));
  const delta = new RollupDelta();
  for (const m of changed) {
    const r = m.changed as StatusEvent;
    if (!OUTCOMES.has(r.status)) continue;
    const sentAt = m.row.sent_at === null ? null : Number(m.row.sent_at);
    delta.add(dimsOf(m.row), {
      counts: { [r.status]: 1 },
      ...(r.status === 'delivered' && sentAt !== null ? { latencyMs: r.at - sentAt } : {}),
    });
  }
  await recordRollups(t, delta);
  for (const part of fixedSizeChunks(changed)) {
    const rows = part.map((m) => {
      const r = m.changed as StatusEvent;
      const failed = r.status === 'failed' || r.status === 'undelivered';
      return sql`(${m.id}, ${r.status}, ${int(r.at)}, ${int(failed ? 1 : 0)}, ${r.errorCode}, ${r.errorMessage})`;
    });
    await sql`UPDATE messages SET status = v.column2, updated_at = v.column3,
      error_code = CASE WHEN v.column4 = 1 THEN v.column5 ELSE messages.error_code END,
      error_message = CASE WHEN v.column4 = 1 THEN v.column6 ELSE messages.error_message END
      FROM (VALUES ${sql.join(rows)}) AS v WHERE messages.id = v.column1`.execute(t.tx);
  }
  await insertEvents(t, events);
  return applied;
}
