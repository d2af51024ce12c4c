/**
 * @module storage/statement-cache
 * Kysely's SQLite driver prepares every query it runs, and preparing costs more than running a
 * small statement. This keeps the most recently used prepared statements by SQL text, so the hot
 * queries (the same few shapes over and over) are prepared once.
 *
 * It also makes every transaction Kysely opens `BEGIN IMMEDIATE`: the write lock is taken at the
 * start. With the default deferred BEGIN, a transaction that reads before it writes cannot
 * upgrade once another connection (the dispatch thread, another process) has committed since its
 * read, and fails with SQLITE_BUSY at once instead of waiting its turn.
 */
import type { Database as NativeDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

export function withStatementCache(native: NativeDatabase, capacity = 256): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    prepare(text: string) {
      const sql = text === 'begin' ? 'begin immediate' : text;
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // re-insert: Map order is our LRU order
      } else {
        stmt = native.prepare(sql);
        if (cache.size >= capacity) {
          const oldest = cache.keys().next();
          if (!oldest.done) cache.delete(oldest.value);
        }
      }
      cache.set(sql, stmt);
      return stmt as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
    close() {
      cache.clear();
      native.close();
    },
  };
}
