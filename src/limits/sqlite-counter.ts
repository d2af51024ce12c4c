/**
 * @module limits/sqlite-counter
 * Counters of the embedded mode, in the SQLite file next to the messages, on the connection the
 * storage already holds (a second connection would contend with it for the write lock). Each count
 * is one `INSERT … ON CONFLICT … RETURNING`, atomic on its own, so the library's per-count
 * transaction is dropped, and its statements are prepared once. A count made while the storage's
 * group commit has a transaction open joins that transaction (SQLite has one per connection).
 */
import type { Database, Statement } from 'better-sqlite3';
import { RateLimiterSQLite } from 'rate-limiter-flexible';
import { StoreCounter } from './store-counter.js';

export const LIMITS_TABLE = 'rate_limits';

/** What RateLimiterSQLite calls on a better-sqlite3 handle: `prepare` and `transaction`. */
function countingClient(db: Database) {
  const statements = new Map<string, Statement>();
  return {
    prepare(sql: string): Statement {
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql);
        statements.set(sql, stmt);
      }
      return stmt;
    },
    transaction<F extends (...args: never[]) => unknown>(fn: F): F {
      return fn;
    },
  };
}

export function openSqliteCounter(db: Database): StoreCounter {
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
  );
}
