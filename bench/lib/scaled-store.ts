/**
 * @module bench/lib/scaled-store
 * Where the scaled-out runs keep their data: a PostgreSQL schema and a Redis key prefix of their own
 * for each Tidings deployment, so no run inherits another's backlog, and both are deleted when the
 * deployment stops (or the harness is interrupted). Also says why the scaled part cannot run when
 * PostgreSQL or Redis does not answer: the benchmark skips it then, it is not a test.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';

/** Scenarios run against `workers` worker processes and one API process on these servers. */
export interface ScaledSetup {
  /** Base URL; each deployment adds `?schema=`. */
  postgresUrl: string;
  /** Base URL; each deployment adds `?prefix=`. */
  redisUrl: string;
  workers: number;
}

export interface ScaledStore {
  databaseUrl: string;
  redisUrl: string;
  /** Drops the schema and deletes every key under the prefix. */
  drop(): Promise<void>;
}

const withParam = (url: string, key: string, value: string): string => {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
};

/** Redis without retries: the harness wants an answer or a reason, at once. */
function redisClient(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: () => null,
  });
}

/** Why the scaled-out part cannot run, or null when PostgreSQL and Redis both answer. */
export async function scaledUnreachable(postgresUrl: string, redisUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    return `PostgreSQL at ${new URL(postgresUrl).host} does not answer (${reason(err)})`;
  } finally {
    await client.end().catch(() => {});
  }
  const redis = redisClient(redisUrl);
  let socketError: unknown = null; // ioredis rejects with "Connection is closed"; the cause comes as an event
  redis.on('error', (err) => (socketError ??= err));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    return `Redis at ${new URL(redisUrl).host} does not answer (${reason(socketError ?? err)})`;
  } finally {
    redis.disconnect();
  }
  return null;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

/** A fresh schema name and key prefix; Tidings creates the schema on its first start. */
export function freshStore(setup: ScaledSetup): ScaledStore {
  const id = `bench_${randomBytes(5).toString('hex')}`;
  return {
    databaseUrl: withParam(setup.postgresUrl, 'schema', id),
    redisUrl: withParam(setup.redisUrl, 'prefix', id),
    drop: async () => {
      await Promise.all([dropSchema(setup.postgresUrl, id), dropPrefix(setup.redisUrl, id)]);
    },
  };
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

async function dropPrefix(url: string, prefix: string): Promise<void> {
  const redis = redisClient(url);
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
