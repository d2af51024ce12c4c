/**
 * @module storage/connect
 * Opens the database a URL names and brings its schema up to date. SQLite (the embedded default)
 * runs in WAL mode so readers never wait for the writer, with `synchronous=NORMAL`, which in WAL
 * mode keeps every committed transaction across a process crash (only an OS crash can lose the last ones).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import type { Dialect } from './dialect.js';
import { GroupCommit } from './group-commit.js';
import type { StorageHandle } from './handle.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export interface Storage extends StorageHandle {
  /** A human-readable location, safe to print (no credentials). */
  location: string;
  migrate(): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** `sqlite:./data/tidings.db`, `sqlite:///abs/path.db`, `sqlite::memory:`. */
export function sqlitePath(url: string): string {
  const rest = url.replace(/^sqlite:/, '');
  if (rest === ':memory:' || rest === '') return ':memory:';
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

export function openStorage(url: string): Storage {
  if (url.startsWith('sqlite:')) return openSqlite(sqlitePath(url));
  if (/^postgres(ql)?:/.test(url)) {
    throw new Error('PostgreSQL storage arrives with the scaled-out mode; use a sqlite: URL for now');
  }
  throw new Error(`TIDINGS_DATABASE_URL must start with sqlite: (got ${url.split(':')[0]}:)`);
}

function openSqlite(path: string): Storage {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const native = new SqliteDatabase(path);
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = NORMAL');
  native.pragma('busy_timeout = 5000');
  native.pragma('cache_size = -32768'); // 32 MiB of page cache
  native.pragma('temp_store = MEMORY');

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(native) }) });
  return {
    db,
    writes: new GroupCommit(db),
    dialect: 'sqlite',
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

async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error('database migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
