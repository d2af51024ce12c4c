/**
 * @module test/fakes/shared/fake-http-server
 * The skeleton every HTTP fake of a provider stands on: a node:http (or https) server on 127.0.0.1,
 * any free port by default, that counts requests and the ones whose client went away before the
 * answer (timeouts, aborts), reads the whole body, waits the configured latency, and only then hands
 * the request to the fake's own protocol code. A request the client gave up on meanwhile is dropped
 * unprocessed, as a real service's worker would never see it.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request, read in full, as the fake's handler gets it. */
export interface FakeExchange {
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer;
  /** The body as UTF-8 text. */
  text: string;
  /** Destroys the connection unanswered (a reset the test asked for; not counted as aborted). */
  reset(): void;
}

export interface FakeHttpServerOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
  /** Delay before each answer (default 0). */
  latencyMs?: number;
  handle(exchange: FakeExchange): Promise<void> | void;
}

export interface FakeHttpServer {
  /** `http://127.0.0.1:PORT` (or https). */
  readonly url: string;
  readonly port: number;
  /** Every HTTP request received, faults included. */
  readonly requests: number;
  /** Requests whose client went away before the answer. */
  readonly aborted: number;
  setLatency(ms: number): void;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

export async function startFakeHttpServer(opts: FakeHttpServerOptions): Promise<FakeHttpServer> {
  let latencyMs = opts.latencyMs ?? 0;
  let requests = 0;
  let aborted = 0;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    let resetByUs = false;
    res.on('close', () => {
      if (!res.writableFinished && !resetByUs) aborted++;
    });
    const body = await readBody(req);
    if (latencyMs > 0) await sleep(latencyMs);
    if (res.destroyed) return; // the client gave up while we were "busy": nothing was processed
    const reset = (): void => {
      resetByUs = true;
      req.socket.destroy();
    };
    await opts.handle({ req, res, body, text: body.toString('utf8'), reset });
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    serve(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendRaw(res, 500, String(err), 'text/plain');
    });
  };
  const server: Server = opts.tls ? createHttpsServer(opts.tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    get requests() {
      return requests;
    },
    get aborted() {
      return aborted;
    },
    setLatency: (ms) => void (latencyMs = ms),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Writes a whole answer with its length; `headers` add to (or override) the content type. */
export function sendRaw(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string | number> = {},
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** The page a load balancer or gateway in front of the API answers an error with. */
export function gatewayPage(res: ServerResponse, status: number): void {
  sendRaw(res, status, `<html><body><h1>${status}</h1></body></html>`, 'text/html');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
