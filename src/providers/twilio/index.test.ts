import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../../../test/fakes/twilio/index.js';
import { ProviderError } from '../../core/provider-error.js';
import type { StatusEvent } from '../../core/status-event.js';
import type { Logger } from '../../ports/logger.js';
import type { OutboundMessage, Provider, RawRequest } from '../../ports/provider.js';
import { TwilioApiError } from './errors.js';
import { createTwilioProvider } from './index.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'f00dbabef00dbabef00dbabef00dbabe';
const MG = 'MG0123456789abcdef0123456789abcdef';
const TO = '+15558675310';

/** Collects every log line, to check that no secret or full number is ever written. */
function captureLogger(lines: string[]): Logger {
  const log = (obj: unknown, msg?: string) => void lines.push(JSON.stringify(obj) + (msg ?? ''));
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

/** Our side of the callbacks: a receiver that verifies and parses with the provider's own webhook. */
async function startReceiver(getProvider: () => Provider | undefined) {
  const received: { verified: boolean; events: StatusEvent[] }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hook = getProvider()?.statusWebhook;
      const raw: RawRequest = {
        url: `${publicUrl}${req.url ?? ''}`,
        method: req.method ?? 'POST',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
        rawBody: Buffer.concat(chunks).toString('utf8'),
      };
      const verified = hook?.verify(raw) ?? false;
      received.push({ verified, events: verified && hook ? hook.parse(raw) : [] });
      res.writeHead(verified ? 200 : 403).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { publicUrl, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function message(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: 'msg_1',
    channel: 'sms',
    to: TO,
    from: null,
    body: 'Your code is 123456',
    encoding: 'GSM-7',
    segments: 1,
    attempt: 1,
    ...over,
  };
}

async function sendError(provider: Provider, msg: OutboundMessage, signal = neverAborted()): Promise<ProviderError> {
  const err = await provider.send(msg, signal).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

function neverAborted(): AbortSignal {
  return new AbortController().signal;
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Twilio provider against the fake Twilio', () => {
  let fake: FakeTwilio;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let provider: Provider | undefined;
  const logs: string[] = [];
  const providers: Provider[] = [];

  const make = (query = '', token = TOKEN, sender = '+15005550006'): Provider => {
    const p = createTwilioProvider(
      new URL(`twilio://${SID}:${token}@${encodeURIComponent(sender)}?baseUrl=${fake.url}${query}`),
      {
        publicUrl: receiver.publicUrl,
        reportStatus: () => undefined,
        logger: captureLogger(logs),
        clock: { now: () => Date.now() },
      },
    );
    providers.push(p);
    return p;
  };

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, callbackDelayMs: 10 });
    receiver = await startReceiver(() => provider);
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.close?.()));
    fake.setLatency(0);
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect(logs.join('\n')).not.toContain(TO);
    logs.length = 0;
  });
  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('sends, and the signed callbacks verify and parse to sent then delivered', async () => {
    provider = make();
    expect(provider).toMatchObject({ id: 'twilio:primary', kind: 'twilio', channel: 'sms' });
    const result = await provider.send(message(), neverAborted());
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result.status).toBe('queued');
    expect(result.price).toBeNull();
    const accepted = fake.messages.find((m) => m.sid === result.providerMessageId);
    expect(accepted).toMatchObject({
      to: TO,
      from: '+15005550006',
      body: 'Your code is 123456',
      statusCallback: `${receiver.publicUrl}/webhooks/twilio/status`,
    });

    await fake.callbacksSettled();
    const mine = receiver.received.filter((r) => r.events[0]?.providerMessageId === result.providerMessageId);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(mine.map((r) => r.events[0]?.status)).toEqual(['sent', 'delivered']);
    expect(fake.callbacks.filter((c) => c.sid === result.providerMessageId).map((c) => c.httpStatus)).toEqual([
      200, 200,
    ]);
  });

  it('sends through a Messaging Service (accepted → queued) and reports undelivered with its code', async () => {
    provider = make(`&messagingServiceSid=${MG}&name=svc`);
    fake.respondTo('+15558675311', { outcome: 'undelivered', errorCode: 30003 });
    const result = await provider.send(message({ to: '+15558675311' }), neverAborted());
    expect(result.status).toBe('queued');
    expect(fake.messages.at(-1)).toMatchObject({ messagingServiceSid: MG, from: '+15005550006' });
    await fake.callbacksSettled();
    const events = receiver.received
      .flatMap((r) => r.events)
      .filter((e) => e.providerMessageId === result.providerMessageId);
    expect(events.map((e) => e.status)).toEqual(['queued', 'sent', 'undelivered']);
    expect(events[2]).toMatchObject({ errorCode: '30003', detail: { retryable: true } });
  });

  it('21211 → invalid_recipient, with the code and the vendor error kept', async () => {
    const err = await sendError(make(), message({ to: '+15005550001' }));
    expect(err).toMatchObject({ kind: 'invalid_recipient', providerCode: '21211', retryable: false });
    expect(err.cause).toBeInstanceOf(TwilioApiError);
    expect(err.message).not.toContain('+15005550001');
  });

  it('21610 → opted_out', async () => {
    const err = await sendError(make(), message({ to: '+15005550004' }));
    expect(err).toMatchObject({ kind: 'opted_out', providerCode: '21610' });
  });

  it('429 with Retry-After → rate_limited with retryAfterMs', async () => {
    fake.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: 2 });
    const err = await sendError(make(), message());
    expect(err).toMatchObject({ kind: 'rate_limited', providerCode: '20429', retryAfterMs: 2000, retryable: true });
  });

  it('500 → transient, 503 → unavailable', async () => {
    fake.failNext(1, { status: 500, code: 20500, message: 'Internal Server Error' });
    fake.failNext(1, { status: 503, code: 20503, message: 'Service Unavailable' });
    const p = make();
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: '20500' });
    expect(await sendError(p, message())).toMatchObject({ kind: 'unavailable', providerCode: '20503' });
  });

  it('a bad token → auth (401, 20003)', async () => {
    const err = await sendError(make('', 'wrong-token-wrong-token'), message());
    expect(err).toMatchObject({ kind: 'auth', providerCode: '20003', retryable: false });
  });

  it('a malformed body: unreadable 2xx or 5xx → transient, 4xx → permanent', async () => {
    const p = make();
    fake.malformedNext(1);
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: null });
    fake.malformedNext(1, 502);
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient' });
    fake.malformedNext(1, 400);
    expect(await sendError(p, message())).toMatchObject({ kind: 'permanent' });
  });

  it('a connection reset → transient, and the next send works on a fresh connection', async () => {
    const p = make();
    fake.resetNext(1);
    const before = fake.requests;
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient' });
    expect(fake.requests).toBe(before + 1); // a POST is never retried behind our back
    await expect(p.send(message(), neverAborted())).resolves.toMatchObject({ status: 'queued' });
  });

  it('a slow server → transient after timeoutMs, and the request is aborted', async () => {
    const p = make('&timeoutMs=200');
    fake.setLatency(2_000);
    const aborted = fake.aborted;
    const started = Date.now();
    const err = await sendError(p, message());
    expect(err.kind).toBe('transient');
    expect(err.message).toMatch(/200 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
    await until(() => fake.aborted === aborted + 1);
  });

  it("the caller's AbortSignal → transient, and the request is aborted", async () => {
    const p = make();
    fake.setLatency(2_000);
    const aborted = fake.aborted;
    const requests = fake.requests;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 100);
    const err = await sendError(p, message(), controller.signal);
    expect(err.kind).toBe('transient');
    await until(() => fake.aborted === aborted + 1);
    // Already aborted: no request at all.
    expect((await sendError(p, message(), controller.signal)).kind).toBe('transient');
    expect(fake.requests).toBe(requests + 1);
  });

  it('describe() masks the token', () => {
    const text = make().describe();
    expect(text).toContain(SID);
    expect(text).toContain('f00d****');
    expect(text).not.toContain(TOKEN);
  });
});
