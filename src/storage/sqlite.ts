/**
 * @module storage/sqlite
 * The embedded database. SQLite runs in WAL mode so readers never wait for the writer, with
 * `synchronous=NORMAL`, which in WAL mode keeps every committed transaction across a process crash
 * (only an OS crash can lose the last ones).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { GroupCommit } from './group-commit.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';
import { writeLock } from './write-lock.js';
import { migrate, type Storage } from './storage.js';

/** `sqlite:./data/tidings.db`, `sqlite:///abs/path.db`, `sqlite::memory:`. */
export function sqlitePath(url: string): string {
  const rest = url.replace(/^sqlite:/, '');
  if (rest === ':memory:' || rest === '') return ':memory:';
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

export interface SqliteOptions {
  /** Page cache of this connection, in MiB (default 32). */
  cacheMb?: number;
}

export function openSqlite(path: string, opts: SqliteOptions = {}): Storage {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const native = new SqliteDatabase(path);
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = NORMAL');
  native.pragma('busy_timeout = 5000');
  native.pragma(`cache_size = ${-1024 * (opts.cacheMb ?? 32)}`); // negative: KiB, not pages
  native.pragma('temp_store = MEMORY');

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(native) }) });
  return {
    db,
    writes: new GroupCommit(db, undefined, path === ':memory:' ? undefined : writeLock(path)),
    dialect: 'sqlite',
    native: { dialect: 'sqlite', db: native },
    location: path === ':memory:' ? 'sqlite (in memory)' : `sqlite:${path}`,
    migrate: () => migrate(db, 'sqlite'),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
