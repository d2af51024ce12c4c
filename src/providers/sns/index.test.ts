import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSns, type FakeSns } from '../../../test/fakes/sns/index.js';
import {
  neverAborted,
  outboundMessage,
  ProviderTestKit,
  sendError,
  until,
} from '../../../test/support/provider-test-kit.js';
import type { OutboundMessage, Provider } from '../../ports/provider.js';
import { SnsApiError } from './errors.js';
import { createSnsProvider } from './index.js';

const AKID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TO = '+15555550100';

const message = (over: Partial<OutboundMessage> = {}) => outboundMessage({ channel: 'sms', to: TO }, over);

describe('SNS provider against the fake SNS', () => {
  let fake: FakeSns;
  const kit = new ProviderTestKit();

  const make = (query = '', secret = SECRET, akid = AKID): Provider =>
    kit.build(
      createSnsProvider,
      `sns://${akid}:${encodeURIComponent(secret)}@us-east-1?endpoint=${fake.url}&name=primary${query}`,
    );

  beforeAll(async () => {
    fake = await startFakeSns({ accessKeyId: AKID, secretAccessKey: SECRET });
  });
  afterEach(async () => {
    fake.setLatency(0);
    fake.setClockOffset(0);
    await kit.cleanUp('EXAMPLEKEY', TO);
  });
  afterAll(() => fake.close());

  it("publishes, with SNS's MessageId as the provider id and the SMS attributes on the wire", async () => {
    const provider = make('&senderId=Tidings');
    expect(provider).toMatchObject({ id: 'sns:primary', kind: 'sns', channel: 'sms', capabilities: {} });
    expect(provider.statusWebhook).toBeUndefined();
    const result = await provider.send(message(), neverAborted());
    expect(result).toEqual({ providerMessageId: fake.sent.at(-1)?.messageId });
    expect(result.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.sent.at(-1)).toMatchObject({
      phoneNumber: TO,
      message: 'Your code is 123456',
      smsType: 'Transactional',
      senderId: 'Tidings',
      originationNumber: null,
      accessKeyId: AKID,
    });
  });

  it("sends Promotional when asked, and the message's own number as origination number", async () => {
    const provider = make('&smsType=Promotional&mps=20');
    expect(provider.capabilities).toEqual({ maxPerSecond: 20 });
    await provider.send(message({ from: '+15555550177' }), neverAborted());
    expect(fake.sent.at(-1)).toMatchObject({
      smsType: 'Promotional',
      originationNumber: '+15555550177',
      senderId: null,
    });
  });

  it('a number SNS refuses → invalid_recipient, code InvalidParameter, the number masked', async () => {
    const bad = '+1555555010099999';
    const err = await sendError(make(), message({ to: bad }));
    expect(err).toMatchObject({ kind: 'invalid_recipient', providerCode: 'InvalidParameter', retryable: false });
    expect(err.cause).toBeInstanceOf(SnsApiError);
    expect(err.cause).toMatchObject({ httpStatus: 400, code: 'InvalidParameter', type: 'Sender' });
    expect(err.message).not.toContain(bad);
    expect((err.cause as Error).message).not.toContain(bad);
    expect(kit.logs.join('\n')).not.toContain(bad);
  });

  it('an empty body → rejected_content', async () => {
    const err = await sendError(make(), message({ body: '' }));
    expect(err).toMatchObject({ kind: 'rejected_content', providerCode: 'InvalidParameter' });
  });

  it('OptedOut → opted_out; KMSDisabled and EndpointDisabled → permanent', async () => {
    fake.refuse('+15555550133', { code: 'OptedOut', message: 'Phone number is opted out' });
    const p = make();
    expect(await sendError(p, message({ to: '+15555550133' }))).toMatchObject({
      kind: 'opted_out',
      providerCode: 'OptedOut',
    });
    fake.failNext(1, { code: 'KMSDisabled', message: 'key disabled' });
    fake.failNext(1, { code: 'EndpointDisabled', message: 'Endpoint is disabled' });
    expect(await sendError(p, message())).toMatchObject({ kind: 'permanent', providerCode: 'KMSDisabled' });
    expect(await sendError(p, message())).toMatchObject({ kind: 'permanent', providerCode: 'EndpointDisabled' });
  });

  it('Throttling (400) and Throttled (429, with a Retry-After) → rate_limited', async () => {
    const p = make();
    fake.failNext(1, { code: 'Throttling', message: 'Rate exceeded' });
    fake.failNext(1, { code: 'Throttled', message: 'slow down', retryAfter: 2 });
    expect(await sendError(p, message())).toMatchObject({
      kind: 'rate_limited',
      providerCode: 'Throttling',
      retryAfterMs: null,
    });
    expect(await sendError(p, message())).toMatchObject({
      kind: 'rate_limited',
      providerCode: 'Throttled',
      retryAfterMs: 2000,
      retryable: true,
    });
  });

  it('InternalError (500) → transient, ServiceUnavailable (503) → unavailable, each tried exactly once', async () => {
    const p = make();
    const before = fake.requests;
    fake.failNext(1, { code: 'InternalError', message: 'boom' });
    fake.failNext(1, { code: 'ServiceUnavailable', message: 'down' });
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: 'InternalError' });
    expect(await sendError(p, message())).toMatchObject({ kind: 'unavailable', providerCode: 'ServiceUnavailable' });
    expect(fake.requests).toBe(before + 2); // maxAttempts 1: our retry policy decides, not the SDK's
  });

  it('a wrong secret → auth (SignatureDoesNotMatch); an unknown key → auth (InvalidClientTokenId)', async () => {
    expect(await sendError(make('', 'not-the-secret'), message())).toMatchObject({
      kind: 'auth',
      providerCode: 'SignatureDoesNotMatch',
      retryable: false,
    });
    expect(await sendError(make('', SECRET, 'AKIAUNKNOWNKEY000000'), message())).toMatchObject({
      kind: 'auth',
      providerCode: 'InvalidClientTokenId',
    });
  });

  it('a clock 20 minutes off → transient (the SDK corrected its clock), and the retry passes', async () => {
    const p = make();
    fake.setClockOffset(20 * 60_000);
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: 'SignatureDoesNotMatch' });
    await expect(p.send(message(), neverAborted())).resolves.toMatchObject({ providerMessageId: expect.any(String) });
  });

  it('an unreadable 200 → transient without a code; an HTML 502 → transient, the status as its code', async () => {
    const p = make();
    fake.malformedNext(1);
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: null });
    fake.malformedNext(1, 502);
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: '502' });
  });

  it('a connection reset → transient, tried once, and the next send works', async () => {
    const p = make();
    fake.resetNext(1);
    const before = fake.requests;
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient' });
    expect(fake.requests).toBe(before + 1);
    await expect(p.send(message(), neverAborted())).resolves.toMatchObject({ providerMessageId: expect.any(String) });
  });

  it('nothing listening → unavailable', async () => {
    const p = kit.build(createSnsProvider, `sns://${AKID}:x@us-east-1?endpoint=http://127.0.0.1:1`);
    expect(await sendError(p, message())).toMatchObject({ kind: 'unavailable', providerCode: 'ECONNREFUSED' });
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

  it("the caller's AbortSignal → transient and the request is aborted; already aborted → no request", async () => {
    const p = make();
    fake.setLatency(2_000);
    const aborted = fake.aborted;
    const requests = fake.requests;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 100);
    const err = await sendError(p, message(), controller.signal);
    expect(err).toMatchObject({ kind: 'transient', message: 'The SNS request was aborted' });
    await until(() => fake.aborted === aborted + 1);
    expect((await sendError(p, message(), controller.signal)).kind).toBe('transient');
    expect(fake.requests).toBe(requests + 1);
  });

  it('describe() masks the secret', () => {
    const text = make().describe();
    expect(text).toMatch(new RegExp(`^sns://${AKID}:wJal\\*\\*\\*\\*@us-east-1\\?`));
    expect(text).not.toContain('EXAMPLEKEY');
  });
});
