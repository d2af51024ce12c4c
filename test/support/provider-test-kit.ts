/**
 * @module test/support/provider-test-kit
 * What every adapter's test against its fake needs and should not write again: providers built with
 * a test context (logs captured, so a test can prove no secret or full address was written), closed
 * after each test; a message factory; "this send fails with a ProviderError"; and our side of status
 * callbacks, which verifies, parses and acknowledges with the provider's own webhook as the app does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { ProviderError } from '../../src/core/provider-error.js';
import type { StatusEvent } from '../../src/core/status-event.js';
import type { Logger } from '../../src/ports/logger.js';
import type {
  OutboundMessage,
  Provider,
  ProviderContext,
  ProviderFactory,
  RawRequest,
} from '../../src/ports/provider.js';

/** A logger that writes every line, fields and message, to `lines`. */
export function captureLogger(lines: string[]): Logger {
  const log = (obj: unknown, msg?: string) => void lines.push(JSON.stringify(obj) + (msg ?? ''));
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

export interface BuildOptions {
  /** Where callbacks reach us (default: nowhere that answers). */
  publicUrl?: string;
  /** Our clock's distance from the machine's, to test signatures with a skewed clock. */
  clockSkewMs?: number;
  reportStatus?: ProviderContext['reportStatus'];
}

/**
 * Providers made for one test file. `build` makes one through its factory, as the registry would;
 * `cleanUp` (in afterEach) closes them all and checks that the logs never held any of `forbidden`.
 */
export class ProviderTestKit {
  readonly logs: string[] = [];
  readonly #providers: Provider[] = [];

  build(factory: ProviderFactory, url: string, opts: BuildOptions = {}): Provider {
    const skew = opts.clockSkewMs ?? 0;
    const provider = factory(new URL(url), {
      publicUrl: opts.publicUrl ?? 'http://127.0.0.1:1',
      reportStatus: opts.reportStatus ?? (() => undefined),
      logger: captureLogger(this.logs),
      clock: { now: () => Date.now() + skew },
    });
    this.#providers.push(provider);
    return provider;
  }

  async cleanUp(...forbidden: string[]): Promise<void> {
    await Promise.all(this.#providers.splice(0).map((p) => p.close?.()));
    const written = this.logs.join('\n');
    this.logs.length = 0;
    for (const text of forbidden) expect(written).not.toContain(text);
  }
}

/** A message on `channel` to `to`, with plain defaults for everything else. */
export function outboundMessage(
  base: Pick<OutboundMessage, 'channel' | 'to'>,
  over: Partial<OutboundMessage> = {},
): OutboundMessage {
  return {
    id: 'msg_1',
    from: null,
    body: 'Your code is 123456',
    encoding: 'GSM-7',
    segments: 1,
    attempt: 1,
    ...base,
    ...over,
  };
}

export function neverAborted(): AbortSignal {
  return new AbortController().signal;
}

/** The send's rejection, which must be a ProviderError. */
export async function sendError(
  provider: Provider,
  msg: OutboundMessage,
  signal = neverAborted(),
): Promise<ProviderError> {
  const err = await provider.send(msg, signal).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

/** What `fn` throws, which must be a ProviderError. */
export function thrownProviderError(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

export async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface StatusReceiver {
  readonly publicUrl: string;
  /** Every callback, whether it verified, and what it parsed to. */
  readonly received: readonly { verified: boolean; events: StatusEvent[] }[];
  /** Every event parsed from verified callbacks about this provider message id. */
  eventsFor(providerMessageId: string): StatusEvent[];
  close(): Promise<void>;
}

/**
 * Our side of status callbacks: each is verified and parsed with the webhook of the provider
 * `current()` returns, and answered as that provider expects (its `ack`, else an empty 200); a
 * callback that does not verify gets 403.
 */
export async function startStatusReceiver(current: () => Provider | undefined): Promise<StatusReceiver> {
  const received: { verified: boolean; events: StatusEvent[] }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hook = current()?.statusWebhook;
      const raw: RawRequest = {
        url: `${publicUrl}${req.url ?? ''}`,
        method: req.method ?? 'POST',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
        rawBody: Buffer.concat(chunks).toString('utf8'),
      };
      const verified = hook?.verify(raw) ?? false;
      received.push({ verified, events: verified && hook ? hook.parse(raw) : [] });
      if (!verified) res.writeHead(403).end();
      else if (hook?.ack) res.writeHead(200, { 'content-type': hook.ack.contentType }).end(hook.ack.body);
      else res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    publicUrl,
    received,
    eventsFor: (id) => received.flatMap((r) => r.events).filter((e) => e.providerMessageId === id),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
