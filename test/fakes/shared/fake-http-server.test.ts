import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultQueue } from './fault-queue.js';
import { gatewayPage, sendRaw, startFakeHttpServer, type FakeHttpServer } from './fake-http-server.js';

const servers: FakeHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('startFakeHttpServer', () => {
  it('listens on loopback, hands over the whole body, and counts requests', async () => {
    const seen: string[] = [];
    const server = await startFakeHttpServer({
      handle: ({ req, res, text }) => {
        seen.push(`${req.method} ${req.url} ${text}`);
        sendRaw(res, 201, 'made', 'text/plain', { 'x-extra': 1 });
      },
    });
    servers.push(server);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await request(`${server.url}/a?b=1`, { method: 'POST', body: 'c=2' });
    expect([res.statusCode, res.headers['x-extra'], await res.body.text()]).toEqual([201, '1', 'made']);
    expect(seen).toEqual(['POST /a?b=1 c=2']);
    expect(server.requests).toBe(1);
  });

  it('counts a client that gives up during the latency as aborted, and never runs the handler for it', async () => {
    let handled = 0;
    const server = await startFakeHttpServer({
      latencyMs: 300,
      handle: ({ res }) => {
        handled++;
        sendRaw(res, 200, 'ok', 'text/plain');
      },
    });
    servers.push(server);
    await expect(request(server.url, { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await until(() => server.aborted === 1);
    await new Promise((r) => setTimeout(r, 350));
    expect(handled).toBe(0);
    server.setLatency(0);
    expect((await request(server.url)).statusCode).toBe(200);
  });

  it('a reset the handler asks for drops the connection and is not counted as aborted', async () => {
    const server = await startFakeHttpServer({ handle: ({ reset }) => reset() });
    servers.push(server);
    await expect(request(server.url)).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect([server.requests, server.aborted]).toEqual([1, 0]);
  });

  it('answers 500 when the handler throws, and a gateway page on demand', async () => {
    const server = await startFakeHttpServer({
      handle: ({ req, res }) => {
        if (req.url === '/page') return gatewayPage(res, 502);
        throw new Error('bug in the fake');
      },
    });
    servers.push(server);
    const broken = await request(server.url);
    expect([broken.statusCode, await broken.body.text()]).toEqual([500, 'Error: bug in the fake']);
    const page = await request(`${server.url}/page`);
    expect([page.statusCode, await page.body.text()]).toEqual([502, '<html><body><h1>502</h1></body></html>']);
  });
});

describe('FaultQueue', () => {
  type Fault = { kind: 'fail'; code: string } | { kind: 'reset' };

  it('takes faults in order, one at a time; takeIf leaves a fault that does not match', () => {
    const q = new FaultQueue<Fault>();
    q.add(2, { kind: 'fail', code: 'X' });
    q.add(1, { kind: 'reset' });
    expect(q.size).toBe(3);
    expect(q.takeIf((f): f is { kind: 'reset' } => f.kind === 'reset')).toBeUndefined();
    expect(q.take()).toEqual({ kind: 'fail', code: 'X' });
    expect(q.take()).toEqual({ kind: 'fail', code: 'X' });
    expect(q.takeIf((f): f is { kind: 'reset' } => f.kind === 'reset')).toEqual({ kind: 'reset' });
    expect(q.take()).toBeUndefined();
  });

  it('clear() drops every pending fault', () => {
    const q = new FaultQueue<Fault>();
    q.add(3, { kind: 'reset' });
    q.clear();
    expect([q.size, q.take()]).toEqual([0, undefined]);
  });
});
