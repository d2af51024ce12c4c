/**
 * @module storage/storage
 * An open database, whichever engine: the repositories' handle plus what the process needs to
 * manage it (migrate at start, ping for readiness, close at shutdown).
 */
import type { Database as SqliteHandle } from 'better-sqlite3';
import { Migrator, type Kysely } from 'kysely';
import type { Pool } from 'pg';
import type { Dialect } from './dialect.js';
import type { StorageHandle } from './handle.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

/**
 * The engine's own handle, for a component that talks to it in the engine's terms (the limit
 * counters of rate-limiter-flexible), on the connection or pool the storage already holds.
 */
export type NativeHandle = { dialect: 'sqlite'; db: SqliteHandle } | { dialect: 'postgres'; pool: () => Promise<Pool> };

export interface Storage extends StorageHandle {
  /** A human-readable location, safe to print (no credentials). */
  location: string;
  native: NativeHandle;
  migrate(): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Applies the migrations not yet applied; returns their names. On PostgreSQL the schema that holds
 * the tables is named, because Kysely otherwise takes its bookkeeping tables in any schema for ours.
 */
export async function migrate(db: Kysely<Database>, dialect: Dialect, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  // Another process migrating, or a schema dropped while Kysely lists tables, fails a run without
  // anything being wrong with ours: those races are tried again a few times before giving up.
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (attempt >= 3 || !isRace(error)) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`database migration failed: ${why}`, { cause: error });
    }
    await new Promise((r) => setTimeout(r, 200 * attempt));
  }
}

/** PostgreSQL's codes for races between sessions: missing schema or table, deadlock, serialization. */
function isRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '3F000' || code === '42P01' || code === '40P01' || code === '40001' || code === '23505';
}
