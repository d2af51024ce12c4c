/**
 * @module storage/postgres
 * The scaled-out database. `postgres://user:pass@host:5432/db` (or `postgresql://`), with two
 * options of ours in the query string, the rest going to the driver as usual (`sslmode`, …):
 *   `pool=N`      connections per process (default 10). Writes go through one group-commit
 *                 transaction at a time, so the pool mostly serves reads and claims.
 *   `schema=name` tables live in that schema (created if missing) instead of `public`.
 * `pg` is imported on first use, so the embedded mode never loads it. Epoch-millisecond columns
 * are `bigint`, which `pg` returns as strings; they are read as numbers here (they are far below
 * 2^53), as are `numeric` results of aggregates.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { PoolConfig } from 'pg';
import { GroupCommit } from './group-commit.js';
import type { Database } from './schema.js';
import { migrate, type Storage } from './storage.js';

const DEFAULT_POOL = 10;
const INT8 = 20;
const NUMERIC = 1700;

export interface PostgresOptions {
  /** The URL without our own options. */
  connectionString: string;
  pool: number;
  schema: string | null;
  /** host, port and database: no credentials. */
  location: string;
}

export function postgresOptions(url: string): PostgresOptions {
  const u = new URL(url);
  const poolParam = u.searchParams.get('pool');
  const pool = poolParam === null ? DEFAULT_POOL : Number(poolParam);
  if (!Number.isInteger(pool) || pool < 1 || pool > 1_000) {
    throw new Error(`TIDINGS_DATABASE_URL: pool must be a whole number from 1 to 1000 (got ${poolParam})`);
  }
  const schema = u.searchParams.get('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error('TIDINGS_DATABASE_URL: schema must be a lower-case identifier (letters, digits, _)');
  }
  u.searchParams.delete('pool');
  u.searchParams.delete('schema');
  const location = `postgres://${u.host}${u.pathname}${schema ? ` (schema ${schema})` : ''}`;
  return { connectionString: u.toString(), pool, schema, location };
}

export function openPostgres(url: string): Storage {
  const opts = postgresOptions(url);
  // One pool, made on first use, shared by Kysely and whatever asks for the native handle.
  let pool: ReturnType<typeof createPool> | undefined;
  const sharedPool = () => (pool ??= createPool(opts));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: sharedPool }) });
  return {
    db,
    writes: new GroupCommit(db),
    dialect: 'postgres',
    native: { dialect: 'postgres', pool: sharedPool },
    location: opts.location,
    async migrate() {
      if (opts.schema) await sql`create schema if not exists ${sql.id(opts.schema)}`.execute(db);
      const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
      const schema = rows[0]?.schema;
      if (!schema) throw new Error('PostgreSQL: no schema of the search_path exists; add ?schema=name to the URL');
      return migrate(db, 'postgres', schema);
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

/** A pool as Tidings uses it (numbers for bigint, search_path for `schema`); exported for tests. */
export async function createPool(opts: PostgresOptions) {
  const { default: pg } = await import('pg');
  const asNumber = (value: string): number => Number(value);
  const config: PoolConfig = {
    connectionString: opts.connectionString,
    max: opts.pool,
    application_name: 'tidings',
    // A database that does not answer must fail a readiness probe, not hang it.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        (oid === INT8 || oid === NUMERIC) && format !== 'binary'
          ? asNumber
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  };
  const pool = new pg.Pool(config);
  // An idle connection the server drops (restart, failover) emits here; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}
