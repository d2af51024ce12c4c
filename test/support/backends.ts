/**
 * The storage engines a conformance suite runs against: SQLite always, PostgreSQL when one answers
 * at TIDINGS_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test). Under CI=true a
 * PostgreSQL that does not answer fails the suite instead of skipping it. Every database opened
 * here gets its own schema, dropped on close, so parallel test workers never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStorage, type Storage } from '../../src/storage/connect.js';

export interface StorageBackend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated database. */
  open(): Promise<Storage>;
  /** A database URL for a process under test, and how to throw that database away afterwards. */
  freshUrl(): { url: string; drop(): Promise<void> };
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function postgresTestUrl(): string {
  return process.env.TIDINGS_TEST_POSTGRES_URL ?? DEFAULT_URL;
}

const withParam = (url: string, key: string, value: string): string => {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
};

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Kysely's migrator lists the tables of every schema, and a schema that a parallel test file drops
 * during that listing fails it ("schema … does not exist", 3F000): such a migration is run again.
 */
async function migrateDespiteDrops(h: Storage): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await h.migrate();
      return;
    } catch (err) {
      const code = ((err as { cause?: { code?: unknown } }).cause ?? {}).code;
      if (code !== '3F000' || attempt >= 5) throw err;
    }
  }
}

/** A schema whose migration failed is dropped at once: nothing else would ever close it. */
async function migrateOrDrop(handles: Storage[], drop: () => Promise<void>): Promise<void> {
  try {
    for (const h of handles) await migrateDespiteDrops(h);
  } catch (err) {
    await Promise.all(handles.map((h) => h.close()));
    await drop();
    throw err;
  }
}

export const sqliteBackend: StorageBackend = {
  name: 'sqlite',
  async open() {
    const storage = openStorage('sqlite::memory:');
    await storage.migrate();
    return storage;
  },
  freshUrl: () => ({ url: 'sqlite::memory:', drop: async () => {} }),
};

export interface PostgresBackend extends StorageBackend {
  name: 'postgres';
  /** `count` handles, each with its own pool as separate processes would have, on one fresh database. */
  openShared(count: number): Promise<{ handles: Storage[]; close(): Promise<void> }>;
}

export function postgresBackend(base = postgresTestUrl()): PostgresBackend {
  const freshUrl = () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    return { url: withParam(base, 'schema', schema), drop: () => dropSchema(base, schema) };
  };
  return {
    name: 'postgres',
    freshUrl,
    async open() {
      const { url, drop } = freshUrl();
      const storage = openStorage(url);
      await migrateOrDrop([storage], drop);
      return {
        ...storage,
        async close() {
          await storage.close();
          await drop();
        },
      };
    },
    async openShared(count) {
      const { url, drop } = freshUrl();
      const handles = Array.from({ length: count }, () => openStorage(url));
      await migrateOrDrop(handles, drop); // the second and later find nothing to do
      return {
        handles,
        async close() {
          await Promise.all(handles.map((h) => h.close()));
          await drop();
        },
      };
    },
  };
}

/** Why PostgreSQL cannot be used, or null when it answers. */
async function postgresUnreachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

let cached: Promise<StorageBackend[]> | undefined;
let told = false;

/** The PostgreSQL backend when it answers (see storageBackends for what happens when it does not). */
export async function postgresIfReachable(): Promise<PostgresBackend | null> {
  return ((await storageBackends()).find((b) => b.name === 'postgres') as PostgresBackend | undefined) ?? null;
}

/** The backends to run; call at the top level of a test file (`describe.each(await storageBackends())`). */
export function storageBackends(): Promise<StorageBackend[]> {
  cached ??= (async () => {
    const url = postgresTestUrl();
    const why = await postgresUnreachable(url);
    if (why === null) return [sqliteBackend, postgresBackend(url)];
    const where = new URL(url).host;
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL at ${where} is required under CI=true but does not answer: ${why}`);
    }
    if (!told) {
      told = true;
      console.warn(`PostgreSQL storage suites skipped: ${where} does not answer (${why})`);
    }
    return [sqliteBackend];
  })();
  return cached;
}
