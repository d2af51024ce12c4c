/**
 * @module storage/rollup-writes
 * Rollups are written where the message is written, in the same transaction, so a counter can
 * never disagree with the status it counts. The cost stays off the hot path: each write adds to an
 * in-memory delta, the deltas of a whole group-commit transaction are merged, and one upsert per
 * distinct key runs just before it commits (keys in order, so processes sharing PostgreSQL lock
 * rollup rows in one order). A transaction not run by the group commit upserts at once.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import { beforeCommit } from './group-commit.js';
import type { Dialect } from './dialect.js';
import { DIMENSION_COLUMNS, LATENCY_COLUMNS, ROLLUP_COUNTERS, RollupDelta, type RollupEntry } from './rollup-delta.js';
import { fixedSizeChunks } from './statement-shapes.js';

const pending = new WeakMap<object, RollupDelta>();

interface Tx {
  tx: Transaction<never> | Transaction<object>;
  dialect: Dialect;
}

/** Adds `delta` to the rollups as part of the transaction `t`. */
export async function recordRollups(t: { tx: object; dialect: Dialect }, delta: RollupDelta): Promise<void> {
  if (delta.size === 0) return;
  const open = pending.get(t.tx);
  if (open) {
    open.merge(delta);
    return;
  }
  const collected = new RollupDelta();
  collected.merge(delta);
  if (beforeCommit(t.tx, () => upsertRollups(t as Tx, collected))) {
    pending.set(t.tx, collected);
    return;
  }
  await upsertRollups(t as Tx, collected);
}

const VALUE_COLUMNS = [...ROLLUP_COUNTERS, 'cost', 'ttd_count', 'ttd_sum_ms', ...LATENCY_COLUMNS];
const ALL_COLUMNS = [...DIMENSION_COLUMNS, ...VALUE_COLUMNS];
const sqlCache = new Map<string, string>();

function upsertSql(dialect: Dialect, rows: number): string {
  const cacheKey = `${dialect}:${rows}`;
  const cached = sqlCache.get(cacheKey);
  if (cached) return cached;
  let n = 0;
  const tuple = () => `(${ALL_COLUMNS.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
  const tuples = Array.from({ length: rows }, tuple);
  const updates = VALUE_COLUMNS.map((c) => `${c} = rollups.${c} + excluded.${c}`).join(', ');
  const text =
    `insert into rollups (${ALL_COLUMNS.join(', ')}) values ${tuples.join(', ')} ` +
    `on conflict (${DIMENSION_COLUMNS.join(', ')}) do update set ${updates}`;
  sqlCache.set(cacheKey, text);
  return text;
}

function rowValues(e: RollupEntry): unknown[] {
  const d = e.dims;
  return [
    d.hour,
    d.provider,
    d.template,
    d.variant,
    d.country,
    d.purpose,
    d.channel,
    d.currency,
    ...ROLLUP_COUNTERS.map((c) => e.counts[c]),
    e.cost,
    e.latencyCount,
    e.latencySumMs,
    ...e.latency,
  ];
}

async function upsertRollups(t: Tx, delta: RollupDelta): Promise<void> {
  pending.delete(t.tx);
  for (const part of fixedSizeChunks(delta.sorted())) {
    const params = part.flatMap(rowValues);
    await t.tx.executeQuery(CompiledQuery.raw(upsertSql(t.dialect, part.length), params));
  }
}
