/**
 * @module limits/sqlite-counter
 * Counters of the embedded mode, in the SQLite file next to the messages, on the connection the
 * storage already holds (a second connection would contend with it for the write lock). A count
 * is one `INSERT … ON CONFLICT … RETURNING`, atomic on its own, so the library's per-count
 * transaction is dropped and its statements are prepared once. Counts run inside the storage's
 * group commit (`around`): they share its transactions with the accepts and send results in
 * flight, instead of each paying a commit of its own, which costs three times the count itself.
 */
import type { Database, Statement } from 'better-sqlite3';
import { RateLimiterSQLite } from 'rate-limiter-flexible';
import { StoreCounter, type Around } from './store-counter.js';

export const LIMITS_TABLE = 'rate_limits';

/** What RateLimiterSQLite calls on a better-sqlite3 handle: `prepare` and `transaction`. */
function countingClient(db: Database) {
  // A handful of statements, their text rebuilt by the library on every call: comparing the text
  // with each is cheaper than hashing it for a Map.
  const statements: Array<[string, Statement]> = [];
  return {
    prepare(sql: string): Statement {
      for (const [text, stmt] of statements) if (text === sql) return stmt;
      const stmt = db.prepare(sql);
      statements.push([sql, stmt]);
      return stmt;
    },
    transaction<F extends (...args: never[]) => unknown>(fn: F): F {
      return fn;
    },
  };
}

/** `around`: the storage's group commit, e.g. `(op) => storage.writes.run(() => op())`. */
export function openSqliteCounter(db: Database, around?: Around): StoreCounter {
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${LIMITS_TABLE} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER) WITHOUT ROWID`,
  );
  const client = countingClient(db);
  return new StoreCounter(
    (shape) =>
      new RateLimiterSQLite({
        ...shape,
        storeClient: client,
        storeType: 'better-sqlite3',
        tableName: LIMITS_TABLE,
        tableCreated: true,
      }) as never,
    around ? { around } : {},
  );
}
