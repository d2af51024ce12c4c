/**
 * @module storage/bulk-insert
 * Multi-row INSERT without the query builder. Building and compiling a Kysely insert of a thousand
 * rows creates tens of thousands of objects, which costs more than SQLite spends storing them; the
 * SQL text for a given table and row count is built once here and reused (so the driver's prepared
 * statement is reused too), and only the parameters change. Rows go in statements of a few fixed
 * sizes, so a handful of statements per table serve every batch size. On PostgreSQL the
 * placeholders are numbered (`$1`), and the target columns give the parameters their types.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import type { Dialect } from './dialect.js';
import { fixedSizeChunks } from './statement-shapes.js';

const sqlCache = new Map<string, string>();

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function insertSql(dialect: Dialect, table: string, columns: readonly string[], rows: number): string {
  const cacheKey = `${dialect}:${table}:${columns.length}:${rows}`;
  let text = sqlCache.get(cacheKey);
  if (text) return text;
  let n = 0;
  const tuple = () => `(${columns.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
  const tuples: string[] = [];
  for (let i = 0; i < rows; i++) tuples.push(tuple());
  text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}`;
  if (sqlCache.size > 512) sqlCache.clear();
  sqlCache.set(cacheKey, text);
  return text;
}

/** Inserts `rows` (each an array in `columns` order) in as few statements as the parameter limit allows. */
export async function bulkInsert<DB>(
  tx: Transaction<DB>,
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  // At most 256 rows a statement: with the messages table's 29 columns that is 7,424 bound parameters,
  // well under SQLite's 32,766 and PostgreSQL's 65,535.
  for (const part of fixedSizeChunks(rows)) {
    const params: unknown[] = [];
    for (const row of part) for (const v of row) params.push(v);
    await tx.executeQuery(CompiledQuery.raw(insertSql(dialect, table, columns, part.length), params));
  }
}
