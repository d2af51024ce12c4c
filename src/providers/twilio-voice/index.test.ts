import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../../../test/fakes/twilio/index.js';
import { ProviderError } from '../../core/provider-error.js';
import type { StatusEvent } from '../../core/status-event.js';
import type { Logger } from '../../ports/logger.js';
import type { OutboundMessage, Provider, RawRequest } from '../../ports/provider.js';
import { createTwilioVoiceProvider } from './index.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'f00dbabef00dbabef00dbabef00dbabe';
const TO = '+15558675310';
const CALLER = '+15005550006';

function captureLogger(lines: string[]): Logger {
  const log = (obj: unknown, msg?: string) => void lines.push(JSON.stringify(obj) + (msg ?? ''));
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

/** Our side of the callbacks: verifies and parses with the provider's own webhook. */
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
    channel: 'voice',
    to: TO,
    from: null,
    body: 'Your code is 1 2 3 4',
    encoding: 'GSM-7',
    segments: 1,
    attempt: 1,
    ...over,
  };
}

async function sendError(provider: Provider, msg: OutboundMessage, signal = new AbortController().signal) {
  const err = await provider.send(msg, signal).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Twilio Voice provider against the fake Twilio', () => {
  let fake: FakeTwilio;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let provider: Provider | undefined;
  const logs: string[] = [];
  const providers: Provider[] = [];

  const make = (query = '', token = TOKEN): Provider => {
    const p = createTwilioVoiceProvider(
      new URL(`twilio-voice://${SID}:${token}@${encodeURIComponent(CALLER)}?baseUrl=${fake.url}${query}`),
      {
        publicUrl: `${receiver.publicUrl}/`,
        reportStatus: () => undefined,
        logger: captureLogger(logs),
        clock: { now: () => Date.now() },
      },
    );
    providers.push(p);
    provider = p;
    return p;
  };
  const eventsFor = (sid: string) =>
    receiver.received.flatMap((r) => r.events).filter((e) => e.providerMessageId === sid);

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, callbackDelayMs: 5 });
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

  it('calls, reads the message twice in its language, and the signed callback says delivered', async () => {
    const p = make();
    expect(p).toMatchObject({ id: 'twilio-voice:default', kind: 'twilio-voice', channel: 'voice' });
    const result = await p.send(
      message({ body: '您的验证码是 1 2 3 4', locale: 'zh-CN' }),
      new AbortController().signal,
    );
    expect(result).toEqual({
      providerMessageId: expect.stringMatching(/^CA[0-9a-f]{32}$/),
      status: 'queued',
      price: null,
    });
    const call = fake.calls.find((c) => c.sid === result.providerMessageId);
    expect(call).toMatchObject({
      to: TO,
      from: CALLER,
      twimlError: null,
      statusCallback: `${receiver.publicUrl}/webhooks/twilio-voice/status`,
      statusCallbackEvents: ['completed'],
      statusCallbackMethod: 'POST',
    });
    const reading = { text: '您的验证码是 1 2 3 4', language: 'cmn-CN', voice: 'Google.cmn-CN-Standard-A' };
    expect(call?.said).toEqual([reading, reading]);

    await fake.callbacksSettled();
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    const events = eventsFor(result.providerMessageId);
    expect(events).toMatchObject([{ status: 'delivered', errorCode: null, detail: { twilioCallStatus: 'completed' } }]);
    expect(events[0]?.detail.callDurationSeconds).toBeGreaterThan(0);
  });

  it('reads unknown or missing locales in the configured language, and escapes the text', async () => {
    const p = make('&language=fr-FR&ringSeconds=20');
    const body = 'Code <1234> & "merci"';
    const a = await p.send(message({ body }), new AbortController().signal);
    const b = await p.send(message({ body, locale: 'tlh' }), new AbortController().signal);
    for (const sid of [a.providerMessageId, b.providerMessageId]) {
      const call = fake.calls.find((c) => c.sid === sid);
      expect(call?.twimlError).toBeNull();
      expect(call?.said.map((s) => [s.text, s.language])).toEqual([
        [body, 'fr-FR'],
        [body, 'fr-FR'],
      ]);
    }
  });

  it('calls from the message’s own number only when it is one', async () => {
    const p = make();
    const a = await p.send(message({ from: '+15005550007' }), new AbortController().signal);
    const b = await p.send(message({ from: 'Tidings' }), new AbortController().signal);
    expect(fake.calls.find((c) => c.sid === a.providerMessageId)?.from).toBe('+15005550007');
    expect(fake.calls.find((c) => c.sid === b.providerMessageId)?.from).toBe(CALLER);
  });

  it.each(['busy', 'no-answer', 'failed', 'canceled'] as const)(
    'a call that ends %s → undelivered',
    async (outcome) => {
      const to = `+1555867${['busy', 'no-answer', 'failed', 'canceled'].indexOf(outcome)}411`;
      fake.respondTo(to, { call: outcome });
      const result = await make().send(message({ to }), new AbortController().signal);
      await fake.callbacksSettled();
      expect(eventsFor(result.providerMessageId)).toMatchObject([{ status: 'undelivered', errorCode: outcome }]);
    },
  );

  it('a forged callback (another token) is refused', async () => {
    make();
    const params = { AccountSid: SID, CallSid: `CA${'1'.repeat(32)}`, CallStatus: 'completed' };
    const url = `${receiver.publicUrl}/webhooks/twilio-voice/status`;
    const res = await request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': getExpectedTwilioSignature('not-the-token', url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    await res.body.dump();
    expect(res.statusCode).toBe(403);
    expect(receiver.received.at(-1)).toEqual({ verified: false, events: [] });
  });

  it('a message too long to read → rejected_content, and no call is placed', async () => {
    const before = fake.requests;
    const err = await sendError(make(), message({ body: 'x'.repeat(4000) }));
    expect(err).toMatchObject({ kind: 'rejected_content', retryable: false });
    expect(fake.requests).toBe(before);
  });

  it.each([
    [{ status: 400, code: 21215, message: 'Account not authorized to call +15558675399' }, 'permanent'],
    [{ status: 400, code: 21216, message: 'Account not allowed to call +15558675399' }, 'permanent'],
    [{ status: 400, code: 21217, message: 'Phone number does not appear to be valid' }, 'invalid_recipient'],
    [{ status: 400, code: 21210, message: 'Caller phone number not verified' }, 'permanent'],
  ])('Twilio %o → %s', async (error, kind) => {
    fake.respondTo('+15558675399', { error });
    const err = await sendError(make(), message({ to: '+15558675399' }));
    expect(err).toMatchObject({ kind, providerCode: String(error.code) });
    expect(err.message).not.toContain('+15558675399');
  });

  it('a To that is no number → invalid_recipient (21211)', async () => {
    expect(await sendError(make(), message({ to: 'not-a-number' }))).toMatchObject({
      kind: 'invalid_recipient',
      providerCode: '21211',
    });
  });

  it('429 with Retry-After → rate_limited; 500 → transient; 503 → unavailable', async () => {
    const p = make();
    fake.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: 3 });
    fake.failNext(1, { status: 500, code: 20500, message: 'Internal Server Error' });
    fake.failNext(1, { status: 503, code: 20503, message: 'Service Unavailable' });
    expect(await sendError(p, message())).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: '20500' });
    expect(await sendError(p, message())).toMatchObject({ kind: 'unavailable', providerCode: '20503' });
  });

  it('a bad token → auth (401, 20003)', async () => {
    expect(await sendError(make('', 'wrong-token-wrong-token'), message())).toMatchObject({
      kind: 'auth',
      providerCode: '20003',
    });
  });

  it('an unreadable 201 or a reset → transient', async () => {
    const p = make();
    fake.malformedNext(1);
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: null });
    fake.resetNext(1);
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient' });
    await expect(p.send(message(), new AbortController().signal)).resolves.toMatchObject({ status: 'queued' });
  });

  it('a slow server → transient after timeoutMs; an abort → transient, and the request is dropped', async () => {
    const p = make('&timeoutMs=200');
    fake.setLatency(2_000);
    const aborted = fake.aborted;
    expect((await sendError(p, message())).message).toMatch(/200 ms/);
    await until(() => fake.aborted === aborted + 1);

    const q = make();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    expect((await sendError(q, message(), controller.signal)).kind).toBe('transient');
    await until(() => fake.aborted === aborted + 2);
  });

  it('describe() masks the token', () => {
    const text = make().describe();
    expect(text).toMatch(/^twilio-voice:\/\/AC[0-9a-f]{32}:f00d\*\*\*\*@\+15005550006\?/);
    expect(text).not.toContain(TOKEN);
  });
});
