/**
 * @module queue/redis-url
 * TIDINGS_REDIS_URL: `redis://[user:password@]host:6379[/db]` (`rediss://` for TLS), with one
 * option of ours in the query string: `prefix=name`, the namespace of every key Tidings writes
 * (default `tidings`), so several installations or test runs can share one Redis. The URL may hold
 * a password, so what is printed is `location`, which never does.
 */

export interface RedisTarget {
  /** The URL without our own option, for the client. */
  url: string;
  prefix: string;
  /** Scheme, host, port and database: no credentials. */
  location: string;
}

const DEFAULT_PREFIX = 'tidings';

export function redisTarget(raw: string): RedisTarget {
  const u = new URL(raw);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new Error(`TIDINGS_REDIS_URL must start with redis:// or rediss:// (got ${u.protocol})`);
  }
  const prefix = u.searchParams.get('prefix') ?? DEFAULT_PREFIX;
  // BullMQ joins key parts with ':', and braces would change Redis Cluster hash slots.
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix)) {
    throw new Error('TIDINGS_REDIS_URL: prefix must be 1 to 64 letters, digits, _, . or -');
  }
  u.searchParams.delete('prefix');
  const db = u.pathname.replace(/^\/+/, '') || '0';
  return {
    url: u.toString(),
    prefix,
    location: `${u.protocol}//${u.host}/${db} (prefix ${prefix})`,
  };
}
