/**
 * @module storage/connect
 * Opens the database a URL names and brings its schema up to date: `sqlite:` for the embedded
 * mode, `postgres://` or `postgresql://` for the scaled-out one. Each engine opens in its own file,
 * and the PostgreSQL driver is only loaded when a PostgreSQL URL is used.
 */
import { openPostgres } from './postgres.js';
import { openSqlite, sqlitePath, type SqliteOptions } from './sqlite.js';
import type { Storage } from './storage.js';

export { sqlitePath };
export type { Storage };

export function openStorage(url: string, sqlite: SqliteOptions = {}): Storage {
  if (url.startsWith('sqlite:')) return openSqlite(sqlitePath(url), sqlite);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  throw new Error(`TIDINGS_DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:)`);
}
