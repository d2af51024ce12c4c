import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../../../test/fakes/twilio/index.js';
import {
  neverAborted,
  outboundMessage,
  ProviderTestKit,
  sendError,
  startStatusReceiver,
  until,
  type StatusReceiver,
} from '../../../test/support/provider-test-kit.js';
import type { OutboundMessage, Provider } from '../../ports/provider.js';
import { TwilioApiError } from './errors.js';
import { createTwilioProvider } from './index.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'f00dbabef00dbabef00dbabef00dbabe';
const MG = 'MG0123456789abcdef0123456789abcdef';
const TO = '+15558675310';

const message = (over: Partial<OutboundMessage> = {}) => outboundMessage({ channel: 'sms', to: TO }, over);

describe('Twilio provider against the fake Twilio', () => {
  let fake: FakeTwilio;
  let receiver: StatusReceiver;
  let provider: Provider | undefined;
  const kit = new ProviderTestKit();

  const make = (query = '', token = TOKEN, sender = '+15005550006'): Provider =>
    kit.build(
      createTwilioProvider,
      `twilio://${SID}:${token}@${encodeURIComponent(sender)}?baseUrl=${fake.url}${query}`,
      { publicUrl: receiver.publicUrl },
    );

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, callbackDelayMs: 10 });
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
    const events = receiver.eventsFor(result.providerMessageId);
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
