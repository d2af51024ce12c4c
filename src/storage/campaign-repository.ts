/**
 * @module storage/campaign-repository
 * Campaigns, their recipients and their rejected rows. A campaign row keeps running counts, moved
 * in the same transaction as the recipient rows they count, so progress is one row read however
 * many recipients there are. Claims take due rows with a lease (and `FOR UPDATE SKIP LOCKED` on
 * PostgreSQL), and move the campaign's pace in the same transaction, which is what keeps the rate
 * when several worker processes run campaigns at once.
 */
import { CompiledQuery, sql } from 'kysely';
import type { CampaignStatus, RecipientStatus } from '../core/campaign.js';
import type { MessageStatus } from '../core/message.js';
import type {
  AppendOutcome,
  Campaign,
  CampaignStore,
  ClaimedRow,
  ImportEntry,
  NewCampaign,
  RowOutcome,
  RowRejection,
} from '../ports/campaign-store.js';
import type { StorageHandle } from './handle.js';
import { chunk } from './rows.js';
import { duplicate, fromRow, insertRejections, parseJson, settleSql } from './campaign-rows.js';

export class CampaignRepository implements CampaignStore {
  constructor(private readonly storage: StorageHandle) {}

  private get db() {
    return this.storage.db;
  }

  create(c: NewCampaign): Promise<void> {
    return this.storage.writes.run(async (tx) => {
      await tx
        .insertInto('campaigns')
        .values({
          id: c.id,
          name: c.name,
          status: c.status,
          template: c.template,
          locale: c.locale,
          data: c.data === null ? null : JSON.stringify(c.data),
          purpose: c.purpose,
          from: c.from,
          channel: c.channel,
          rate: c.rate,
          window_start: c.window?.start ?? null,
          window_end: c.window?.end ?? null,
          window_timezone: c.window?.timezone ?? null,
          start_at: c.startAt,
          api_key_id: c.apiKeyId,
          created_at: c.createdAt,
          updated_at: c.createdAt,
        })
        .execute();
    });
  }

  async get(id: string): Promise<Campaign | null> {
    const row = await this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async list(opts: { before?: string; limit: number }): Promise<Campaign[]> {
    let q = this.db.selectFrom('campaigns').selectAll();
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    return (await q.orderBy('id', 'desc').limit(opts.limit).execute()).map(fromRow);
  }

  transition(id: string, from: readonly CampaignStatus[], to: CampaignStatus, at: number): Promise<boolean> {
    return this.storage.writes.run(async (tx) => {
      const res = await tx
        .updateTable('campaigns')
        .set({
          status: to,
          updated_at: at,
          ...(to === 'running' ? { started_at: sql<number>`coalesce(started_at, ${at})` } : {}),
          ...(to === 'cancelled' || to === 'completed' ? { finished_at: at } : {}),
        })
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    });
  }

  append(id: string, entries: ImportEntry[], at: number): Promise<AppendOutcome | 'closed'> {
    return this.storage.writes.run(async (tx) => {
      // Reserving the row numbers locks the campaign row, so concurrent uploads number in turn.
      const reserved = await tx
        .updateTable('campaigns')
        .set((eb) => ({ rows_read: eb('rows_read', '+', entries.length), updated_at: at }))
        .where('id', '=', id)
        .where('status', 'in', ['draft', 'paused'])
        .returning('rows_read')
        .executeTakeFirst();
      if (!reserved) return 'closed' as const;
      const base = Number(reserved.rows_read) - entries.length;
      const rejections: RowRejection[] = [];
      const recipients: { row: number; line: number | null; to: string; data: string | null }[] = [];
      const seen = new Set<string>();
      entries.forEach((e, i) => {
        const row = base + i + 1;
        if (e.kind === 'rejection') rejections.push({ row, line: e.line, code: e.code, reason: e.reason });
        else if (seen.has(e.to)) rejections.push(duplicate(row, e.line));
        else {
          seen.add(e.to);
          recipients.push({ row, line: e.line, to: e.to, data: e.data === null ? null : JSON.stringify(e.data) });
        }
      });
      let added = 0;
      for (const part of chunk(recipients, 500)) {
        const inserted = await tx
          .insertInto('campaign_recipients')
          .values(
            part.map((r) => ({ campaign_id: id, row: r.row, to: r.to, data: r.data, status: 'pending', due_at: 0 })),
          )
          .onConflict((oc) => oc.doNothing())
          .returning('row')
          .execute();
        added += inserted.length;
        const kept = new Set(inserted.map((r) => Number(r.row)));
        for (const r of part) if (!kept.has(r.row)) rejections.push(duplicate(r.row, r.line));
      }
      rejections.sort((a, b) => a.row - b.row);
      await insertRejections(tx, id, rejections, at);
      const duplicates = rejections.filter((r) => r.code === 'duplicate_recipient').length;
      await tx
        .updateTable('campaigns')
        .set((eb) => ({
          recipients: eb('recipients', '+', added),
          duplicates: eb('duplicates', '+', duplicates),
          invalid: eb('invalid', '+', rejections.length - duplicates),
        }))
        .where('id', '=', id)
        .execute();
      return { added, duplicates, rejections };
    });
  }

  async active(now: number): Promise<Campaign[]> {
    const rows = await this.db
      .selectFrom('campaigns')
      .selectAll()
      .where((eb) =>
        eb.or([eb('status', '=', 'running'), eb.and([eb('status', '=', 'scheduled'), eb('start_at', '<=', now)])]),
      )
      .orderBy('id')
      .execute();
    return rows.map(fromRow);
  }

  claim(id: string, opts: { now: number; max: number; leaseMs: number }): Promise<ClaimedRow[]> {
    const { now, max, leaseMs } = opts;
    return this.storage.writes.run(async (tx) => {
      const campaign = await tx
        .selectFrom('campaigns')
        .select(['status', 'rate', 'paced_until'])
        .where('id', '=', id)
        .$if(this.storage.dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      if (!campaign || campaign.status !== 'running') return [];
      const pacedUntil = Number(campaign.paced_until);
      if (pacedUntil > now) return [];
      const rows = await tx
        .selectFrom('campaign_recipients')
        .select(['row', 'to', 'data', 'claims'])
        .where('campaign_id', '=', id)
        .where('status', '=', 'pending')
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .orderBy('row')
        .limit(max)
        .$if(this.storage.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
        .execute();
      if (rows.length === 0) return [];
      for (const part of chunk(rows, 500)) {
        await tx
          .updateTable('campaign_recipients')
          .set((eb) => ({ due_at: now + leaseMs, claims: eb('claims', '+', 1) }))
          .where('campaign_id', '=', id)
          .where(
            'row',
            'in',
            part.map((r) => Number(r.row)),
          )
          .execute();
      }
      // The next batch waits until these rows' share of the rate has passed.
      const rate = Number(campaign.rate);
      await tx
        .updateTable('campaigns')
        .set({ paced_until: Math.max(pacedUntil, now) + Math.round((rows.length * 1000) / rate) })
        .where('id', '=', id)
        .execute();
      return rows.map((r) => ({
        row: Number(r.row),
        to: r.to,
        data: parseJson<Record<string, string>>(r.data),
        claims: Number(r.claims),
      }));
    });
  }

  settle(id: string, outcomes: RowOutcome[], at: number): Promise<void> {
    if (outcomes.length === 0) return Promise.resolve();
    const { dialect } = this.storage;
    return this.storage.writes.run(async (tx) => {
      let accepted = 0;
      let refused = 0;
      const settled = new Set<number>();
      for (const part of chunk(outcomes, 300)) {
        const params: unknown[] = [];
        if (dialect === 'postgres') params.push(id);
        for (const o of part) params.push(o.row, o.status, o.status === 'accepted' ? o.messageId : null);
        if (dialect === 'sqlite') params.push(id);
        const res = await tx.executeQuery<{ row: number; status: string }>(
          CompiledQuery.raw(settleSql(dialect, part.length), params),
        );
        for (const r of res.rows) {
          settled.add(Number(r.row));
          if (r.status === 'accepted') accepted++;
          else refused++;
        }
      }
      const rejections = outcomes.flatMap((o) =>
        o.status === 'refused' && settled.has(o.row)
          ? [{ row: o.row, line: null, code: o.code, reason: o.reason }]
          : [],
      );
      await insertRejections(tx, id, rejections, at);
      await tx
        .updateTable('campaigns')
        .set((eb) => ({
          accepted: eb('accepted', '+', accepted),
          refused: eb('refused', '+', refused),
          updated_at: at,
        }))
        .where('id', '=', id)
        .execute();
    });
  }

  defer(id: string, rows: number[], dueAt: number): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.storage.writes.run(async (tx) => {
      for (const part of chunk(rows, 500)) {
        await tx
          .updateTable('campaign_recipients')
          // Not a real claim: no message can exist for it, so it does not count as one.
          .set((eb) => ({ due_at: dueAt, claims: eb('claims', '-', 1) }))
          .where('campaign_id', '=', id)
          .where('row', 'in', part)
          .where('status', '=', 'pending')
          .execute();
      }
    });
  }

  completeIfDone(id: string, at: number): Promise<boolean> {
    return this.storage.writes.run(async (tx) => {
      const pending = await tx
        .selectFrom('campaign_recipients')
        .select('row')
        .where('campaign_id', '=', id)
        .where('status', '=', 'pending')
        .limit(1)
        .executeTakeFirst();
      if (pending) return false;
      const res = await tx
        .updateTable('campaigns')
        .set({ status: 'completed', finished_at: at, updated_at: at })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    });
  }

  cancelPending(id: string, at: number): Promise<number> {
    return this.storage.writes.run(async (tx) => {
      const res = await tx
        .updateTable('campaign_recipients')
        .set({ status: 'cancelled' })
        .where('campaign_id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      const n = Number(res.numUpdatedRows);
      await tx
        .updateTable('campaigns')
        .set((eb) => ({ cancelled: eb('cancelled', '+', n), updated_at: at }))
        .where('id', '=', id)
        .execute();
      return n;
    });
  }

  async messageCounts(id: string): Promise<Partial<Record<MessageStatus, number>>> {
    const rows = await this.db
      .selectFrom('messages')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', id)
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async rejections(id: string, opts: { afterRow?: number; limit: number }): Promise<RowRejection[]> {
    let q = this.db
      .selectFrom('campaign_rejections')
      .select(['row', 'line', 'code', 'reason'])
      .where('campaign_id', '=', id);
    if (opts.afterRow !== undefined) q = q.where('row', '>', opts.afterRow);
    const rows = await q.orderBy('row').limit(opts.limit).execute();
    return rows.map((r) => ({
      row: Number(r.row),
      line: r.line === null ? null : Number(r.line),
      code: r.code,
      reason: r.reason,
    }));
  }

  async recipientStatus(id: string, row: number): Promise<RecipientStatus | null> {
    const r = await this.db
      .selectFrom('campaign_recipients')
      .select('status')
      .where('campaign_id', '=', id)
      .where('row', '=', row)
      .executeTakeFirst();
    return (r?.status as RecipientStatus | undefined) ?? null;
  }
}
