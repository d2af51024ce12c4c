/**
 * @module storage/analytics-repository
 * Reports read the rollups (a range of send hours, grouped and summed in SQL); conversions and
 * clicks are written through the shared group commit and counted in their message's rollup in the
 * same transaction. "First conversion" and "first click" are decided by the message row
 * (`converted_at IS NULL`), which concurrent writers on PostgreSQL see in turn, so a message counts
 * once towards a rate however many events it gets.
 */
import { sql, type RawBuilder } from 'kysely';
import type {
  AnalyticsStore,
  ConversionInput,
  RollupCounts,
  RollupQuery,
  RollupTotals,
} from '../ports/analytics-store.js';
import type { StorageHandle } from './handle.js';
import type { Tx } from './message-writes.js';
import {
  DIMS_SELECT,
  LATENCY_COLUMNS,
  ROLLUP_COUNTERS,
  RollupDelta,
  dimsOf,
  type RollupCounter,
} from './rollup-delta.js';
import { recordRollups } from './rollup-writes.js';

const CAMEL: Record<RollupCounter, keyof RollupCounts> = {
  accepted: 'accepted',
  sent: 'sent',
  delivered: 'delivered',
  failed: 'failed',
  undelivered: 'undelivered',
  replies: 'replies',
  opt_outs: 'optOuts',
  conversions: 'conversions',
  converted: 'converted',
  clicks: 'clicks',
  clicked: 'clicked',
  segments: 'segments',
};

const SUMS = sql.raw(
  [...ROLLUP_COUNTERS, 'cost', 'ttd_count', 'ttd_sum_ms', ...LATENCY_COLUMNS]
    .map((c) => `SUM(${c}) AS ${c}`)
    .join(', '),
);

type SumRow = Record<string, number | string | null>;

function toTotals(r: SumRow): RollupTotals {
  const n = (c: string) => Number(r[c] ?? 0);
  const counts = Object.fromEntries(ROLLUP_COUNTERS.map((c) => [CAMEL[c], n(c)])) as unknown as RollupCounts;
  const group = r['grp'] ?? null;
  return {
    group: typeof group === 'string' || group === null ? group : Number(group),
    currency: String(r['currency'] ?? ''),
    counts,
    cost: n('cost'),
    latency: LATENCY_COLUMNS.map(n),
    latencyCount: n('ttd_count'),
    latencySumMs: n('ttd_sum_ms'),
  };
}

async function messageDims(t: Tx, id: string) {
  return t.tx
    .selectFrom('messages')
    .select(['id', 'converted_at', 'clicked_at', ...DIMS_SELECT])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Marks the message's first conversion or click; true when this was the first. */
async function markFirst(t: Tx, id: string, column: 'converted_at' | 'clicked_at', at: number): Promise<boolean> {
  const r = await t.tx
    .updateTable('messages')
    .set({ [column]: at })
    .where('id', '=', id)
    .where(column, 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export class AnalyticsRepository implements AnalyticsStore {
  constructor(private readonly storage: StorageHandle) {}

  private write<T>(op: (t: Tx) => Promise<T>): Promise<T> {
    return this.storage.writes.run((tx) => op({ tx, dialect: this.storage.dialect }));
  }

  async rollups(q: RollupQuery): Promise<RollupTotals[]> {
    const group: RawBuilder<unknown> = q.by === null ? sql`NULL` : sql.ref(q.by);
    const filters = Object.entries(q.where ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => sql`AND ${sql.ref(k)} = ${v}`);
    const groupBy = q.by === null ? sql`currency` : sql`${sql.ref(q.by)}, currency`;
    const { rows } = await sql<SumRow>`SELECT ${group} AS grp, currency, ${SUMS} FROM rollups
      WHERE hour >= ${q.from} AND hour < ${q.to} ${sql.join(filters, sql` `)}
      GROUP BY ${groupBy}`.execute(this.storage.db);
    return rows.map(toTotals);
  }

  recordConversion(c: ConversionInput): Promise<{ stored: boolean; conversion: ConversionInput } | null> {
    return this.write(async (t) => {
      const existing = await t.tx.selectFrom('conversions').selectAll().where('id', '=', c.id).executeTakeFirst();
      if (existing) {
        return {
          stored: false,
          conversion: {
            id: existing.id,
            messageId: existing.message_id,
            event: existing.event,
            value: existing.value === null ? null : Number(existing.value),
            currency: existing.currency,
            source: existing.source as ConversionInput['source'],
            at: Number(existing.at),
          },
        };
      }
      const message = await messageDims(t, c.messageId);
      if (!message) return null;
      await t.tx
        .insertInto('conversions')
        .values({
          id: c.id,
          message_id: c.messageId,
          event: c.event,
          value: c.value,
          currency: c.currency,
          source: c.source,
          at: c.at,
        })
        .execute();
      const first = message.converted_at === null && (await markFirst(t, c.messageId, 'converted_at', c.at));
      const delta = new RollupDelta();
      delta.add(dimsOf(message), { counts: { conversions: 1, converted: first ? 1 : 0 } });
      await recordRollups(t, delta);
      return { stored: true, conversion: c };
    });
  }

  async messageByReference(reference: string): Promise<string | null> {
    const row = await this.storage.db
      .selectFrom('messages')
      .select('id')
      .where('reference', '=', reference)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  recordClick(code: string, at: number): Promise<{ url: string; messageId: string } | null> {
    return this.write(async (t) => {
      const link = await t.tx
        .updateTable('short_links')
        .set((eb) => ({
          clicks: eb('clicks', '+', 1),
          first_click_at: eb.fn.coalesce('first_click_at', sql<number>`CAST(${at} AS bigint)`),
        }))
        .where('code', '=', code)
        .returning(['url', 'message_id'])
        .executeTakeFirst();
      if (!link) return null;
      const message = await messageDims(t, link.message_id);
      if (message) {
        const first = message.clicked_at === null && (await markFirst(t, link.message_id, 'clicked_at', at));
        const delta = new RollupDelta();
        delta.add(dimsOf(message), { counts: { clicks: 1, clicked: first ? 1 : 0 } });
        await recordRollups(t, delta);
      }
      return { url: link.url, messageId: link.message_id };
    });
  }
}
