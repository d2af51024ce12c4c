/**
 * @module test/conformance/callback-receiver
 * Our public side as a provider's fake sees it: an HTTP server that takes every callback and keeps
 * it exactly as it arrived (URL as the public sees it, headers, raw body), so the suite can hand it
 * to an adapter's `statusWebhook` untouched. It answers 200 and judges nothing: judging is the
 * adapter's job, and the suite's assertions are about that.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawRequest } from '../../src/ports/provider.js';

export interface CallbackLog {
  readonly received: readonly RawRequest[];
  /** Resolves with the first callback (already received or yet to come) that `match` accepts. */
  waitFor(match: (req: RawRequest) => boolean, timeoutMs?: number): Promise<RawRequest>;
}

export interface CallbackReceiver extends CallbackLog {
  readonly publicUrl: string;
  close(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: RawRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        url: `${publicUrl}${req.url ?? '/'}`,
        method: req.method ?? 'POST',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
        rawBody: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0,"result":0}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    publicUrl,
    received,
    async waitFor(match, timeoutMs = 3_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > end)
          throw new Error(`no matching callback within ${timeoutMs} ms (${received.length} received)`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
