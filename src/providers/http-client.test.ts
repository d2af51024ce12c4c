import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../core/provider-error.js';
import { HttpClient } from './http-client.js';
import { MAX_ANSWER_BYTES } from './http-exchange.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback server whose behaviour each test sets; it counts requests that were cut short. */
let handler: Handler = (_req, res) => res.end('ok');
let cutShort = 0;
const server = createServer((req, res) => {
  res.on('close', () => {
    if (!res.writableFinished) cutShort++;
  });
  handler(req, res);
});
let origin = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const never = () => new AbortController().signal;

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('HttpClient', () => {
  it('sends the request as built and resolves with any answer, status, headers and body', async () => {
    handler = (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.writeHead(418, { 'x-seen': `${req.method} ${req.url} ${body}` }).end('teapot'));
    };
    const client = new HttpClient({ who: 'Test', origin, timeoutMs: 1000 });
    const answer = await client.request({ method: 'POST', path: '/a?b=1', headers: {}, body: 'c=2' }, never());
    expect(answer).toMatchObject({ status: 418, body: 'teapot', headers: { 'x-seen': 'POST /a?b=1 c=2' } });
    await client.close();
  });

  it('one budget from connect to last byte: a body that trickles in is cut at the budget', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      const drip = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(drip));
    };
    const client = new HttpClient({ who: 'Test', origin, timeoutMs: 200 });
    const before = cutShort;
    const started = performance.now();
    const err = await failure(client.request({ method: 'GET', path: '/', headers: {} }, never()));
    const took = performance.now() - started;
    expect(err).toMatchObject({ kind: 'transient', message: 'Test did not answer within 200 ms', retryable: true });
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(2_000); // the body would trickle in for ever: a wide bound still tells
    await until(() => cutShort === before + 1);
    await client.close();
  });

  it('a server that never answers is cut at the budget, not undici’s coarse timers', async () => {
    handler = () => undefined;
    const client = new HttpClient({ who: 'Test', origin, timeoutMs: 150 });
    const started = performance.now();
    expect(await failure(client.request({ method: 'GET', path: '/', headers: {} }, never()))).toMatchObject({
      kind: 'transient',
    });
    expect(performance.now() - started).toBeLessThan(2_000); // the server never answers
    await client.close();
  });

  it("the caller's abort, before or during the request → transient 'aborted'", async () => {
    handler = () => undefined;
    const client = new HttpClient({ who: 'Test', origin, timeoutMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deadline')), 50);
    const started = performance.now();
    const err = await failure(client.request({ method: 'GET', path: '/', headers: {} }, controller.signal));
    expect(err).toMatchObject({ kind: 'transient', message: 'The Test request was aborted' });
    expect(performance.now() - started).toBeLessThan(2_000); // well before the 5 s budget
    const again = await failure(client.request({ method: 'GET', path: '/', headers: {} }, controller.signal));
    expect(again).toMatchObject({ kind: 'transient', message: 'The Test request was aborted' });
    await client.close();
  });

  it('a refused connection → unavailable, a reset → transient, each with its code', async () => {
    const refused = new HttpClient({ who: 'Test', origin: 'http://127.0.0.1:1', timeoutMs: 1000 });
    expect(await failure(refused.request({ method: 'GET', path: '/', headers: {} }, never()))).toMatchObject({
      kind: 'unavailable',
      providerCode: 'ECONNREFUSED',
    });
    await refused.close();

    handler = (req) => req.socket.destroy();
    const client = new HttpClient({ who: 'Test', origin, timeoutMs: 1000 });
    const reset = await failure(client.request({ method: 'GET', path: '/', headers: {} }, never()));
    expect(reset.kind).toBe('transient');
    expect(reset.providerCode).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
    await client.close();
  });

  it('without an origin of its own, sends to the origin each request names', async () => {
    handler = (req, res) => res.end(req.url);
    const client = new HttpClient({ who: 'push service', timeoutMs: 1000 });
    const answer = await client.request({ method: 'POST', origin, path: '/push/abc', headers: {} }, never());
    expect(answer.body).toBe('/push/abc');
    await client.close();
  });

  it('a body in several chunks, a character split between two of them, reads as one text', async () => {
    const text = Buffer.from('Votre code: 4821 — 验证码', 'utf8');
    const cut = text.indexOf(Buffer.from('验', 'utf8')) + 1; // inside the three bytes of 验
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.write(text.subarray(0, cut));
      setTimeout(() => res.end(text.subarray(cut)), 30);
    };
    const client = new HttpClient({ who: 'Test', origin, timeoutMs: 1000 });
    expect((await client.request({ method: 'GET', path: '/', headers: {} }, never())).body).toBe(
      'Votre code: 4821 — 验证码',
    );
    await client.close();
  });

  it('drops a UTF-8 byte order mark in front of the answer, so JSON that starts with one still parses', async () => {
    handler = (_req, res) => res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"Code":"OK"}')]));
    const client = new HttpClient({ who: 'Test', origin, timeoutMs: 1000 });
    const answer = await client.request({ method: 'GET', path: '/', headers: {} }, never());
    expect(JSON.parse(answer.body)).toEqual({ Code: 'OK' });
    await client.close();
  });

  it('an informational answer first (103 Early Hints): the final answer is the one returned', async () => {
    handler = (_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      setTimeout(() => res.writeHead(201, { 'x-final': 'yes' }).end('{"sid":"SM1"}'), 20);
    };
    const client = new HttpClient({ who: 'Test', origin, timeoutMs: 1000 });
    const answer = await client.request({ method: 'POST', path: '/', headers: {}, body: 'a=1' }, never());
    expect(answer).toMatchObject({ status: 201, body: '{"sid":"SM1"}', headers: { 'x-final': 'yes' } });
    await client.close();
  });

  it('an answer longer than 1 MiB is cut, not held whole: a transient failure that says why', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const more = (): void => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    };
    const client = new HttpClient({ who: 'Test', origin, timeoutMs: 5000 });
    const before = cutShort;
    const err = await failure(client.request({ method: 'GET', path: '/', headers: {} }, never()));
    expect(err).toMatchObject({ kind: 'transient', message: 'Test request failed: answer longer than 1048576 bytes' });
    await until(() => cutShort === before + 1); // the server saw the connection close mid-answer
    // Exactly 1 MiB is still an answer.
    handler = (_req, res) => res.end(Buffer.alloc(MAX_ANSWER_BYTES, 0x61));
    expect((await client.request({ method: 'GET', path: '/', headers: {} }, never())).body).toHaveLength(
      MAX_ANSWER_BYTES,
    );
    await client.close();
  });

  it('a request still waiting for a connection ends at its budget and is never sent', async () => {
    const seen: string[] = [];
    handler = (req, res) => {
      seen.push(req.url ?? '');
      setTimeout(() => res.end('late'), 400);
    };
    // One connection, held by a request the server answers too late: the second one queues behind it.
    const client = new HttpClient({ who: 'Test', origin, timeoutMs: 150, connections: 1 });
    const started = performance.now();
    const [held, queued] = await Promise.all([
      failure(client.request({ method: 'GET', path: '/held', headers: {} }, never())),
      failure(client.request({ method: 'GET', path: '/queued', headers: {} }, never())),
    ]);
    expect(performance.now() - started).toBeLessThan(380); // not when the connection frees up at 400 ms
    expect(held.message).toBe('Test did not answer within 150 ms');
    expect(queued.message).toBe('Test did not answer within 150 ms');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual(['/held']);
    await client.close();
  });

  it('close() twice: the second waits for the first instead of throwing', async () => {
    handler = (_req, res) => res.end('ok');
    const client = new HttpClient({ who: 'Test', origin, timeoutMs: 1000 });
    await client.request({ method: 'GET', path: '/', headers: {} }, never());
    await expect(Promise.all([client.close(), client.close()])).resolves.toEqual([undefined, undefined]);
    await expect(client.close()).resolves.toBeUndefined();
  });
});
