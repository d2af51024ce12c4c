import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../../../test/fakes/twilio/index.js';
import {
  outboundMessage,
  ProviderTestKit,
  sendError,
  startStatusReceiver,
  until,
  type StatusReceiver,
} from '../../../test/support/provider-test-kit.js';
import type { OutboundMessage, Provider } from '../../ports/provider.js';
import { createTwilioVoiceProvider } from './index.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'f00dbabef00dbabef00dbabef00dbabe';
const TO = '+15558675310';
const CALLER = '+15005550006';

const message = (over: Partial<OutboundMessage> = {}) =>
  outboundMessage({ channel: 'voice', to: TO }, { body: 'Your code is 1 2 3 4', ...over });

describe('Twilio Voice provider against the fake Twilio', () => {
  let fake: FakeTwilio;
  let receiver: StatusReceiver;
  let provider: Provider | undefined;
  const kit = new ProviderTestKit();

  const make = (query = '', token = TOKEN): Provider => {
    provider = kit.build(
      createTwilioVoiceProvider,
      `twilio-voice://${SID}:${token}@${encodeURIComponent(CALLER)}?baseUrl=${fake.url}${query}`,
      { publicUrl: `${receiver.publicUrl}/` },
    );
    return provider;
  };

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, callbackDelayMs: 5 });
    receiver = await startStatusReceiver(() => provider);
  });
  afterEach(async () => {
    fake.setLatency(0);
    await kit.cleanUp(TOKEN, TO);
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
    const events = receiver.eventsFor(result.providerMessageId);
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
      expect(receiver.eventsFor(result.providerMessageId)).toMatchObject([
        { status: 'undelivered', errorCode: outcome },
      ]);
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
