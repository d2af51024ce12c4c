/**
 * @module queue/redis-client
 * Redis connections for the BullMQ queue, made with ioredis, which is imported on first use so the
 * embedded mode never loads it. Two kinds: one for commands (adding jobs, counts, readiness), which
 * fails fast when Redis is away, because the relay holds database rows while it waits; and one for
 * workers, which BullMQ requires to retry for ever (it blocks waiting for jobs).
 */

/** The commands Tidings sends itself; BullMQ is given the client whole. */
export interface RedisClient {
  readonly status: string;
  ping(): Promise<string>;
  mget(...keys: string[]): Promise<Array<string | null>>;
  scan(cursor: string, ...args: Array<string | number>): Promise<[string, string[]]>;
  del(...keys: string[]): Promise<number>;
  quit(): Promise<string>;
  disconnect(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

type RedisConstructor = new (url: string, options: Record<string, unknown>) => RedisClient;

/** How long one command may take before it counts as failed. */
const COMMAND_TIMEOUT_MS = 5_000;

let ctor: Promise<RedisConstructor> | undefined;

function loadClient(): Promise<RedisConstructor> {
  ctor ??= import('ioredis').then(
    (mod) => {
      const m = mod as unknown as { Redis?: RedisConstructor; default?: RedisConstructor };
      const Redis = m.Redis ?? m.default;
      if (!Redis) throw new Error('the ioredis package has no Redis client class');
      return Redis;
    },
    (err: unknown) => {
      ctor = undefined;
      throw new Error('TIDINGS_REDIS_URL is set but the ioredis package is not installed (npm install ioredis)', {
        cause: err,
      });
    },
  );
  return ctor;
}

export type RedisUse = 'commands' | 'worker';

/** A maker of connections to one Redis; ioredis is loaded once, here, so making one later is synchronous. */
export async function redisConnector(url: string): Promise<(use: RedisUse) => RedisClient> {
  const Redis = await loadClient();
  return (use) => {
    const client = new Redis(
      url,
      use === 'worker'
        ? { maxRetriesPerRequest: null, connectionName: 'tidings-worker' }
        : {
            maxRetriesPerRequest: 1,
            enableOfflineQueue: false,
            commandTimeout: COMMAND_TIMEOUT_MS,
            connectTimeout: COMMAND_TIMEOUT_MS,
            connectionName: 'tidings',
          },
    );
    // Failures reach the caller through the command that failed; unheard, ioredis prints them to stderr.
    client.on('error', () => {});
    return client;
  };
}
