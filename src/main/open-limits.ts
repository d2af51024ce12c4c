/**
 * @module main/open-limits
 * Picks where the limit counters live, as the queue is picked: Redis when TIDINGS_REDIS_URL is set
 * (the scaled-out mode, under the same key prefix as the queue), else the database: PostgreSQL's
 * pool, or the embedded SQLite file on the storage's own connection.
 */
import type { Config } from '../config/index.js';
import { openPostgresCounter } from '../limits/postgres-counter.js';
import { openRedisCounter, type RedisCounterClient } from '../limits/redis-counter.js';
import { openSqliteCounter } from '../limits/sqlite-counter.js';
import type { LimitCounter } from '../ports/limit-counter.js';
import { redisConnector } from '../queue/redis-client.js';
import { redisTarget } from '../queue/redis-url.js';
import type { Storage } from '../storage/connect.js';

/** How long a start waits for Redis before counting falls back to memory until it answers. */
const REDIS_READY_MS = 5_000;

export interface OpenedLimits {
  counter: LimitCounter;
  /** Where the counters live, safe to print. */
  location: string;
}

export async function openLimits(config: Readonly<Config>, storage: Storage): Promise<OpenedLimits> {
  if (config.redisUrl !== undefined) {
    const target = redisTarget(config.redisUrl);
    const client = (await redisConnector(target.url))('commands');
    await new Promise<void>((resolve) => {
      if (client.status === 'ready') return resolve();
      const timer = setTimeout(resolve, REDIS_READY_MS);
      client.on('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return {
      counter: openRedisCounter(client as unknown as RedisCounterClient, target.prefix),
      location: `Redis ${target.location}`,
    };
  }
  if (storage.native.dialect === 'postgres') {
    return { counter: await openPostgresCounter(await storage.native.pool()), location: storage.location };
  }
  return {
    counter: openSqliteCounter(storage.native.db, (op) => storage.writes.run(() => op())),
    location: storage.location,
  };
}
