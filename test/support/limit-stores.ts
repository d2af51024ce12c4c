/**
 * The stores limit counters run on, for suites that run once per store: a SQLite file always,
 * PostgreSQL and Redis when they answer (required under CI=true, as in backends.ts and
 * queue-backends.ts). Each opens fresh and can be reopened, as a restarted process would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LimitCounter } from '../../src/ports/limit-counter.js';
import { openPostgresCounter } from '../../src/limits/postgres-counter.js';
import { openRedisCounter, type RedisCounterClient } from '../../src/limits/redis-counter.js';
import { openSqliteCounter } from '../../src/limits/sqlite-counter.js';
import { redisConnector } from '../../src/queue/redis-client.js';
import { redisTarget } from '../../src/queue/redis-url.js';
import { openStorage, type Storage } from '../../src/storage/connect.js';
import { postgresIfReachable } from './backends.js';
import { freshRedisUrl, redisIfReachable } from './queue-backends.js';

export interface LimitStore {
  name: string;
  /** A counter on a fresh store; `reopen` gives another on the same data, as a restarted process would. */
  open(): Promise<{ counter: LimitCounter; reopen(): Promise<LimitCounter>; close(): Promise<void> }>;
}

export const sqliteStore: LimitStore = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-limits-'));
    const handles: Storage[] = [];
    const make = () => {
      const storage = openStorage(`sqlite:${join(dir, 'limits.db')}`);
      handles.push(storage);
      if (storage.native.dialect !== 'sqlite') throw new Error('not a SQLite storage');
      return openSqliteCounter(storage.native.db, (op) => storage.writes.run(() => op()));
    };
    const counter = make();
    return {
      counter,
      async reopen() {
        await handles.shift()?.close();
        return make();
      },
      async close() {
        for (const h of handles) await h.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

async function postgresStore(): Promise<LimitStore | null> {
  const backend = await postgresIfReachable();
  if (!backend) return null;
  return {
    name: 'postgres',
    async open() {
      // Two handles on one fresh schema: the second is the restarted process.
      const shared = await backend.openShared(2);
      const [first, second] = shared.handles as [Storage, Storage];
      return {
        counter: await openPostgresCounter(await pool(first)),
        reopen: async () => openPostgresCounter(await pool(second)),
        close: () => shared.close(),
      };
    },
  };
}

function pool(storage: Storage) {
  if (storage.native.dialect !== 'postgres') throw new Error('not a PostgreSQL storage');
  return storage.native.pool();
}

async function redisStore(): Promise<LimitStore | null> {
  if (!(await redisIfReachable())) return null;
  return {
    name: 'redis',
    async open() {
      const { url, drop } = freshRedisUrl();
      const target = redisTarget(url);
      const counters: LimitCounter[] = [];
      const make = async () => {
        const client = (await redisConnector(target.url))('worker');
        const counter = openRedisCounter(client as unknown as RedisCounterClient, target.prefix);
        counters.push(counter);
        return counter;
      };
      const counter = await make();
      return {
        counter,
        reopen: make,
        async close() {
          for (const c of counters) await c.close();
          await drop();
        },
      };
    },
  };
}

/** The stores to run a suite on; call at the top level of a test file. */
export async function limitStores(): Promise<LimitStore[]> {
  return [sqliteStore, await postgresStore(), await redisStore()].filter((s): s is LimitStore => s !== null);
}
