import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTencent, type FakeTencent } from '../../../test/fakes/tencent/index.js';
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
import { TencentApiError } from './errors.js';
import { createTencentProvider } from './index.js';

const ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
const KEY = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';
const APP = '1400006666';
const TOKEN = 'cb-token-0123456789';
const TO = '+8613800138000';
const SIGN = encodeURIComponent('腾讯云');
const TEMPLATES = 'otp:1110(code|minutes),booking_reminder:2220(name|time),hello:3330(name)';

const message = (over: Partial<OutboundMessage> = {}): OutboundMessage =>
  outboundMessage(
    { channel: 'sms', to: TO },
    {
      body: 'Your code is 042917, valid for 5 minutes.',
      template: { name: 'otp', version: 1, data: { code: '042917', minutes: 5 }, providerTemplates: {} },
      ...over,
    },
  );

describe('Tencent provider against the fake Tencent', () => {
  let fake: FakeTencent;
  let receiver: StatusReceiver;
  let provider: Provider | undefined;
  const kit = new ProviderTestKit();

  const make = (
    o: {
      query?: string;
      id?: string;
      key?: string;
      sign?: string;
      app?: string;
      endpoint?: string;
      clockSkewMs?: number;
    } = {},
  ): Provider => {
    return kit.build(
      createTencentProvider,
      `tencent://${o.id ?? ID}:${o.key ?? KEY}@${o.sign ?? SIGN}?sdkAppId=${o.app ?? APP}&templates=${TEMPLATES}` +
        `&endpoint=${o.endpoint ?? fake.url}${o.query ?? ''}`,
      {
        publicUrl: receiver.publicUrl,
        ...(o.clockSkewMs === undefined ? {} : { clockSkewMs: o.clockSkewMs }),
      },
    );
  };

  beforeAll(async () => {
    receiver = await startStatusReceiver(() => provider);
    fake = await startFakeTencent({
      secretId: ID,
      secretKey: KEY,
      sdkAppId: APP,
      signNames: ['腾讯云'],
      templates: {
        '1110': { content: 'Your code is {1}, valid for {2} minutes.', verification: true },
        '2220': { content: '{1}您好，您预约的服务将于{2}开始。' },
        '3330': { content: 'Hello {1}', international: true },
      },
      callbackUrl: `${receiver.publicUrl}/webhooks/tencent/status?token=${TOKEN}`,
      callbackDelayMs: 10,
    });
  });
  afterEach(async () => {
    await fake.callbacksSettled();
    fake.setLatency(0);
    await kit.cleanUp(KEY, TOKEN, TO.slice(3));
  });
  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('sends the mapped template with its parameters in order, and names itself', async () => {
    provider = make({ query: '&name=primary' });
    expect(provider).toMatchObject({ id: 'tencent:primary', kind: 'tencent', channel: 'sms' });
    expect(provider.describe()).toContain(`tencent://${ID}:Gu5t****@腾讯云?sdkAppId=${APP}`);
    expect(provider.statusWebhook).toBeUndefined();
    const result = await provider.send(message(), neverAborted());
    expect(result).toEqual({ providerMessageId: expect.stringMatching(/^\d{4}:\d{28}$/), status: 'sent', price: null });
    expect(fake.sent.at(-1)).toMatchObject({
      serialNo: result.providerMessageId,
      phoneNumber: TO,
      signName: '腾讯云',
      templateId: '1110',
      params: ['042917', '5'],
      sessionContext: 'msg_1',
      senderId: null,
      text: '【腾讯云】Your code is 042917, valid for 5 minutes.',
    });
  });

  it("uses the template's own spec, and sends international numbers without a sign, with the SenderId", async () => {
    provider = make({ query: '&senderId=Tidings' });
    await provider.send(
      message({
        template: {
          name: 'reminder',
          version: 2,
          data: { who: '王先生', at: '15:30' },
          providerTemplates: { tencent: '2220(who|at)' },
        },
      }),
      neverAborted(),
    );
    expect(fake.sent.at(-1)).toMatchObject({
      templateId: '2220',
      text: '【腾讯云】王先生您好，您预约的服务将于15:30开始。',
    });
    await provider.send(
      message({
        to: '+14155550123',
        template: { name: 'hello', version: 1, data: { name: 'Ann' }, providerTemplates: {} },
      }),
      neverAborted(),
    );
    expect(fake.sent.at(-1)).toMatchObject({
      phoneNumber: '+14155550123',
      signName: null,
      senderId: 'Tidings',
      text: 'Hello Ann',
    });
  });

  it('fails a message without a mapped template before any request: rejected_content / template_not_mapped', async () => {
    provider = make();
    const before = fake.requests;
    for (const m of [
      message({ template: null }),
      message({ template: { name: 'unknown', version: 1, data: {}, providerTemplates: {} } }),
    ]) {
      expect(await sendError(provider, m)).toMatchObject({
        kind: 'rejected_content',
        providerCode: 'template_not_mapped',
      });
    }
    expect(fake.requests).toBe(before);
  });

  it.each([
    ['+8613800138001', 'LimitExceeded.PhoneNumberDailyLimit', 'rate_limited'],
    ['+8613800138002', 'LimitExceeded.PhoneNumberThirtySecondLimit', 'rate_limited'],
    ['+8613800138003', 'FailedOperation.PhoneNumberInBlacklist', 'opted_out'],
    ['+8613800138004', 'FailedOperation.ContainSensitiveWord', 'rejected_content'],
  ])('maps the per-number result for %s (%s) to %s', async (to, code, kind) => {
    provider = make();
    fake.respondTo(to, { code });
    const err = await sendError(provider, message({ to }));
    expect(err).toMatchObject({ kind, providerCode: code });
    expect(err.cause).toBeInstanceOf(TencentApiError);
    expect((err.cause as TencentApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    if (code === 'LimitExceeded.PhoneNumberThirtySecondLimit') expect(err.retryAfterMs).toBe(30_000);
    if (code === 'LimitExceeded.PhoneNumberDailyLimit') {
      expect(err.retryAfterMs).toBeGreaterThan(0);
      expect(err.retryAfterMs).toBeLessThanOrEqual(24 * 3_600_000);
    }
  });

  it('maps a number Tencent cannot parse to invalid_recipient', async () => {
    provider = make();
    expect(await sendError(provider, message({ to: '+86123' }))).toMatchObject({
      kind: 'invalid_recipient',
      providerCode: 'InvalidParameterValue.IncorrectPhoneNumber',
    });
  });

  it.each([
    ['a wrong SecretKey', { key: 'wrong-key' }, 'auth', 'AuthFailure.SignatureFailure'],
    ['an unknown SecretId', { id: 'AKIDunknown0000000000000000000000000' }, 'auth', 'AuthFailure.SecretIdNotFound'],
    ['a clock 10 minutes slow', { clockSkewMs: -600_000 }, 'auth', 'AuthFailure.SignatureExpire'],
    ['another SmsSdkAppId', { app: '1400000001' }, 'auth', 'InvalidParameterValue.SdkAppIdNotExist'],
    ['an unapproved sign', { sign: 'Other' }, 'rejected_content', 'FailedOperation.SignatureIncorrectOrUnapproved'],
    ['an unsupported region', { query: '&region=eu-frankfurt' }, 'unavailable', 'UnsupportedRegion'],
  ])('refuses %s as %s', async (_what, o, kind, code) => {
    provider = make(o);
    expect(await sendError(provider, message())).toMatchObject({ kind, providerCode: code });
  });

  it('maps template refusals to rejected_content', async () => {
    provider = make();
    const wrongId = message({
      template: { name: 'x', version: 1, data: { a: '1' }, providerTemplates: { tencent: '9999(a)' } },
    });
    expect(await sendError(provider, wrongId)).toMatchObject({
      kind: 'rejected_content',
      providerCode: 'FailedOperation.TemplateIncorrectOrUnapproved',
    });
    const tooFew = message({
      template: { name: 'x', version: 1, data: { code: '1' }, providerTemplates: { tencent: '1110(code)' } },
    });
    expect(await sendError(provider, tooFew)).toMatchObject({
      kind: 'rejected_content',
      providerCode: 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate',
    });
    const letters = message({
      template: { name: 'otp', version: 1, data: { code: 'abc', minutes: 5 }, providerTemplates: {} },
    });
    expect(await sendError(provider, letters)).toMatchObject({
      kind: 'rejected_content',
      providerCode: 'InvalidParameterValue.TemplateParameterFormatError',
    });
  });

  it('maps request-level throttling and internal errors, and gateway statuses', async () => {
    provider = make();
    fake.failNext(1, 'RequestLimitExceeded');
    expect(await sendError(provider, message())).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000 });
    fake.failNext(1, 'InternalError.Timeout');
    expect(await sendError(provider, message())).toMatchObject({
      kind: 'transient',
      providerCode: 'InternalError.Timeout',
    });
    fake.failNext(1, 'FailedOperation.InsufficientBalanceInSmsPackage');
    expect(await sendError(provider, message())).toMatchObject({ kind: 'unavailable' });
    fake.httpErrorNext(1, 503);
    expect(await sendError(provider, message())).toMatchObject({ kind: 'unavailable', providerCode: '503' });
    fake.httpErrorNext(1, 502);
    expect(await sendError(provider, message())).toMatchObject({ kind: 'transient', providerCode: '502' });
    fake.httpErrorNext(1, 500);
    expect(await sendError(provider, message())).toMatchObject({ kind: 'transient' });
    fake.httpErrorNext(1, 429);
    expect(await sendError(provider, message())).toMatchObject({ kind: 'rate_limited' });
    fake.malformedNext(1);
    expect(await sendError(provider, message())).toMatchObject({ kind: 'transient' });
    fake.resetNext(1);
    expect(await sendError(provider, message())).toMatchObject({ kind: 'transient' });
    await expect(provider.send(message(), neverAborted())).resolves.toMatchObject({ status: 'sent' });
  });

  it('times out, honours an abort quickly, and reports an unreachable endpoint as unavailable', async () => {
    provider = make({ query: '&timeoutMs=200' });
    fake.setLatency(2_000);
    const aborted0 = fake.aborted;
    const t0 = Date.now();
    const slow = await sendError(provider, message());
    expect(slow).toMatchObject({ kind: 'transient' });
    expect(slow.message).toMatch(/200 ms/);
    expect(Date.now() - t0).toBeLessThan(1_500);
    await until(() => fake.aborted === aborted0 + 1);

    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('shutdown')), 30);
    const aborted = await sendError(make(), message(), controller.signal);
    expect(aborted).toMatchObject({ kind: 'transient' });
    expect(aborted.message).toMatch(/aborted/);
    expect(Date.now() - started).toBeLessThan(1_500); // well before the fake's 2 s answer
    const already = new AbortController();
    already.abort();
    expect(await sendError(make(), message(), already.signal)).toMatchObject({ kind: 'transient' });
    fake.setLatency(0);

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await sendError(make({ endpoint: `http://127.0.0.1:${port}` }), message())).toMatchObject({
      kind: 'unavailable',
      providerCode: 'ECONNREFUSED',
    });
  });

  it('takes delivery reports with the right token, parses them, and refuses forged ones', async () => {
    provider = make({ query: `&callbackToken=${TOKEN}` });
    expect(provider.statusWebhook).toBeDefined();
    await fake.callbacksSettled();
    const before = receiver.received.length;
    fake.respondTo('+8613800138009', { outcome: 'undelivered', errmsg: 'MK:0001' });
    const ok = await provider.send(message(), neverAborted());
    const bad = await provider.send(message({ id: 'msg_2', to: '+8613800138009' }), neverAborted());
    await fake.callbacksSettled();
    const mine = receiver.received.slice(before);
    expect(mine.every((r) => r.verified)).toBe(true);
    const events = mine.flatMap((r) => r.events);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ providerMessageId: ok.providerMessageId, status: 'delivered', errorCode: null }),
        expect.objectContaining({
          providerMessageId: bad.providerMessageId,
          status: 'undelivered',
          errorCode: 'MK:0001',
        }),
      ]),
    );
    expect(fake.callbacks.at(-1)).toMatchObject({ httpStatus: 200, acknowledged: true });

    const forged = [{ sid: ok.providerMessageId, report_status: 'FAIL', errmsg: 'X' }];
    for (const url of [
      `${receiver.publicUrl}/webhooks/tencent/status`,
      `${receiver.publicUrl}/webhooks/tencent/status?token=guessed-token-0000`,
    ]) {
      expect(await fake.pushStatus(forged, url)).toMatchObject({ httpStatus: 403, acknowledged: false });
    }
    expect(receiver.received.at(-1)).toEqual({ verified: false, events: [] });
  });
});
