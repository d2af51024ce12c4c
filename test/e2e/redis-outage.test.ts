/**
 * Redis goes away under a running Tidings (PostgreSQL + BullMQ) and comes back: messages are still
 * accepted meanwhile (their jobs wait in the database's outbox), readiness says the queue is
 * failing, and once Redis answers again every message is sent, once. Redis is reached through a
 * TCP proxy on loopback that the test cuts and restores.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTidings, waitFor, type Tidings } from '../support/harness.js';
import { freshRedisUrl, redisIfReachable, redisTestUrl } from '../support/queue-backends.js';

const bullmq = await redisIfReachable();

/** A cuttable line to Redis. */
class RedisLine {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: URL,
  ) {}

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(Number(this.target.port || 6379), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe.runIf(bullmq)('Redis outage under a running Tidings (PostgreSQL + BullMQ)', () => {
  let t: Tidings;
  let line: RedisLine;
  const redis = freshRedisUrl();

  beforeAll(async () => {
    line = new RedisLine(await freePort(), new URL(redisTestUrl()));
    await line.up();
    const url = new URL(redis.url);
    url.host = `127.0.0.1:${line.port}`;
    t = await startTidings({ TIDINGS_REDIS_URL: url.toString() }, { backend: bullmq!.storage });
  });
  afterAll(async () => {
    await t.stop();
    await line.down();
    await redis.drop();
  });

  const status = async (id: string) => (await t.api('GET', `/v1/messages/${id}`)).body;

  it('accepts while Redis is away, reports not ready, and sends everything once Redis is back', async () => {
    const before = await t.api('POST', '/v1/messages', { to: '+14155552671', body: 'before' });
    await waitFor(
      () => status(before.body.id),
      (m) => m.status === 'delivered',
    );

    await line.down();
    const during = await Promise.all(
      Array.from({ length: 5 }, (_, i) => t.api('POST', '/v1/messages', { to: '+14155552671', body: `during ${i}` })),
    );
    expect(during.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks).toMatchObject({
      database: 'ok',
      queue: 'failing',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await Promise.all(during.map((r) => status(r.body.id)))).map((m) => m.status)).toEqual(
      Array(5).fill('queued'),
    );

    await line.up();
    for (const r of during) {
      const done = await waitFor(
        () => status(r.body.id),
        (m) => m.status === 'delivered',
        15_000,
      );
      expect(done.events.filter((e: { status: string }) => e.status === 'sent')).toHaveLength(1);
    }
    await waitFor(
      () => fetch(`${t.url}/readyz`).then((res) => res.status),
      (s) => s === 200,
    );
  });

  it('shuts down within its deadline while Redis is away', async () => {
    await line.down();
    const started = Date.now();
    await t.server.stop();
    expect(Date.now() - started).toBeLessThan(t.rt.config.shutdownDeadlineMs + 5_000);
  });
});
