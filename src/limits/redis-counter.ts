/**
 * @module limits/redis-counter
 * Counters of the scaled-out mode, in Redis under the installation's key prefix
 * (`<prefix>:limits:<rule>:<key>`), where a count is one Lua script and keys expire by themselves.
 * The connection is the caller's and is closed with the counter.
 */
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { StoreCounter } from './store-counter.js';

export interface RedisCounterClient {
  quit(): Promise<unknown>;
  disconnect(): void;
}

export function openRedisCounter(client: RedisCounterClient, prefix: string): StoreCounter {
  return new StoreCounter((shape) => new RateLimiterRedis({ ...shape, storeClient: client }) as never, {
    keyPrefix: `${prefix}:limits:`,
    onClose: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  });
}
