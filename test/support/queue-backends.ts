/**
 * The queues a conformance suite runs against: the embedded queue on SQLite always, and BullMQ on
 * Redis (TIDINGS_TEST_REDIS_URL, default redis://127.0.0.1:6379) with PostgreSQL when both answer.
 * Under CI=true a Redis that does not answer fails the suite instead of skipping it, as PostgreSQL
 * does in backends.ts. Every queue opened here gets a key prefix of its own, deleted on close, so
 * parallel test workers never see each other's jobs.
 */
import { randomBytes } from 'node:crypto';
import type { JobQueue } from '../../src/ports/job-queue.js';
import type { Logger } from '../../src/ports/logger.js';
import { openBullmqQueue, type BullmqQueue } from '../../src/queue/bullmq-queue.js';
import { EmbeddedQueue } from '../../src/queue/embedded-queue.js';
import { redisConnector, type RedisClient } from '../../src/queue/redis-client.js';
import type { Storage } from '../../src/storage/connect.js';
import { JobOutboxRepository } from '../../src/storage/job-outbox-repository.js';
import type { JobRepository } from '../../src/storage/job-repository.js';
import type { MessageRepository } from '../../src/storage/message-repository.js';
import { postgresIfReachable, sqliteBackend, storageBackends, type StorageBackend } from './backends.js';
import { memoryRepositories } from './messages.js';

export const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

export interface QueueOptions {
  /** Longest a queue takes to notice work nobody announced (embedded poll, BullMQ outbox sweep). */
  pollMs?: number;
  /** How long a worker that died keeps its jobs (embedded lease, BullMQ lock). */
  leaseMs?: number;
}

export interface QueueFixture {
  queue: JobQueue;
  storage: Storage;
  repo: MessageRepository;
  jobs: JobRepository;
  /** A second queue on the same database and Redis, as another process would have. */
  another(opts?: QueueOptions): Promise<JobQueue>;
  close(): Promise<void>;
}

export interface QueueBackend {
  name: string;
  storage: StorageBackend;
  open(opts?: QueueOptions): Promise<QueueFixture>;
}

const clock = { now: () => Date.now() };

export function redisTestUrl(): string {
  return process.env.TIDINGS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A Redis URL with a fresh key prefix, and how to delete every key under it afterwards. */
export function freshRedisUrl(base = redisTestUrl()): { url: string; prefix: string; drop(): Promise<void> } {
  const prefix = `t_${randomBytes(6).toString('hex')}`;
  const u = new URL(base);
  u.searchParams.set('prefix', prefix);
  return { url: u.toString(), prefix, drop: () => dropPrefix(base, prefix) };
}

async function dropPrefix(url: string, prefix: string): Promise<void> {
  const client = (await redisConnector(url))('worker'); // waits for the connection instead of failing
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    await client.quit().catch(() => client.disconnect());
  }
}

const embedded = (storage: Storage, jobs: JobRepository, o: QueueOptions = {}): EmbeddedQueue =>
  new EmbeddedQueue(jobs, {
    clock,
    logger: silent,
    leaseMs: o.leaseMs ?? 30_000,
    pollMs: o.pollMs ?? 50,
    claimBatch: 50,
  });

export const embeddedBackend: QueueBackend = {
  name: 'embedded on sqlite',
  storage: sqliteBackend,
  async open(opts) {
    const { storage, repo, jobs } = await memoryRepositories(sqliteBackend);
    const queues: JobQueue[] = [embedded(storage, jobs, opts)];
    return {
      queue: queues[0]!,
      storage,
      repo,
      jobs,
      async another(o) {
        const q = embedded(storage, jobs, o);
        queues.push(q);
        return q;
      },
      async close() {
        await Promise.all(queues.map((q) => q.close()));
        await storage.close();
      },
    };
  },
};

function bullmqBackend(pg: StorageBackend): QueueBackend {
  return {
    name: 'bullmq on redis + postgres',
    storage: pg,
    async open(opts) {
      const { storage, repo, jobs } = await memoryRepositories(pg);
      const redis = freshRedisUrl();
      const open = (o: QueueOptions = {}): Promise<BullmqQueue> =>
        openBullmqQueue(redis.url, new JobOutboxRepository(storage), {
          clock,
          logger: silent,
          lockDurationMs: o.leaseMs ?? 30_000,
          sweepMs: o.pollMs ?? 50,
        });
      const queues: JobQueue[] = [await open(opts)];
      return {
        queue: queues[0]!,
        storage,
        repo,
        jobs,
        async another(o) {
          const q = await open(o);
          queues.push(q);
          return q;
        },
        async close() {
          await Promise.all(queues.map((q) => q.close()));
          await redis.drop();
          await storage.close();
        },
      };
    },
  };
}

/** Why Redis cannot be used, or null when it answers. */
async function redisUnreachable(url: string): Promise<string | null> {
  let client: RedisClient | undefined;
  try {
    client = (await redisConnector(url))('commands');
    const c = client;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2_000);
      const tryPing = (): void => {
        c.ping().then(
          () => (clearTimeout(timer), resolve()),
          () => setTimeout(tryPing, 50), // not connected yet
        );
      };
      tryPing();
    });
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  } finally {
    client?.disconnect();
  }
}

let cached: Promise<QueueBackend[]> | undefined;

/** The BullMQ backend (Redis + PostgreSQL) when both answer; see the module comment for CI. */
export async function redisIfReachable(): Promise<QueueBackend | null> {
  return (await queueBackends()).find((b) => b.name.startsWith('bullmq')) ?? null;
}

/** The queues to run; call at the top level of a test file (`describe.each(await queueBackends())`). */
export function queueBackends(): Promise<QueueBackend[]> {
  cached ??= (async () => {
    const url = redisTestUrl();
    const why = await redisUnreachable(url);
    const where = new URL(url).host;
    if (why !== null) {
      if (process.env.CI === 'true') {
        throw new Error(`Redis at ${where} is required under CI=true but does not answer: ${why}`);
      }
      console.warn(`BullMQ queue suites skipped: Redis at ${where} does not answer (${why})`);
      return [embeddedBackend];
    }
    const pg = await postgresIfReachable();
    if (!pg) {
      console.warn('BullMQ queue suites skipped: they run on PostgreSQL, which does not answer');
      return [embeddedBackend];
    }
    return [embeddedBackend, bullmqBackend(pg)];
  })();
  return cached;
}

/** A whole installation's engines, for end-to-end suites: each storage alone, then PostgreSQL with Redis. */
export interface Deployment {
  name: string;
  storage: StorageBackend;
  /** Whether the queue is BullMQ on Redis (give the server a fresh TIDINGS_REDIS_URL). */
  redis: boolean;
}

export async function deployments(): Promise<Deployment[]> {
  const storages = await storageBackends();
  const bullmq = await redisIfReachable();
  return [
    ...storages.map((s) => ({ name: s.name, storage: s, redis: false })),
    ...(bullmq ? [{ name: 'postgres + redis', storage: bullmq.storage, redis: true }] : []),
  ];
}
