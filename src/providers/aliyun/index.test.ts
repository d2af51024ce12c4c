import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAliyun, type FakeAliyun } from '../../../test/fakes/aliyun/index.js';
import {
  neverAborted,
  outboundMessage,
  ProviderTestKit,
  sendError,
  startStatusReceiver,
  until,
  type StatusReceiver,
} from '../../../test/support/provider-test-kit.js';
import type { OutboundMessage, Provider, TemplateRef } from '../../ports/provider.js';
import { AliyunApiError } from './errors.js';
import { createAliyunProvider } from './index.js';

const KEY_ID = 'LTAI5tTidingsTest0001';
const SECRET = 'TidingsSecret0123456789abcdef';
const SIGN = '阿里云';
const CALLBACK_TOKEN = 'report-token-0123456789';
const TO = '+8613800138000';

function template(over: Partial<TemplateRef> = {}): TemplateRef {
  return { name: 'otp', version: 1, data: { code: '042917', minutes: 5 }, providerTemplates: {}, ...over };
}

const message = (over: Partial<OutboundMessage> = {}): OutboundMessage =>
  outboundMessage(
    { channel: 'sms', to: TO },
    { id: 'msg_01HZX', body: '您的验证码为042917，5分钟内有效。', encoding: 'UCS-2', template: template(), ...over },
  );

describe('Aliyun provider against the fake Dysmsapi', () => {
  let fake: FakeAliyun;
  let receiver: StatusReceiver;
  let provider: Provider | undefined;
  const kit = new ProviderTestKit();

  const make = (
    o: { query?: string; secret?: string; keyId?: string; sign?: string; clockSkewMs?: number } = {},
  ): Provider => {
    const url =
      `aliyun://${o.keyId ?? KEY_ID}:${encodeURIComponent(o.secret ?? SECRET)}@${encodeURIComponent(o.sign ?? SIGN)}` +
      `?templates=otp:SMS_100,booking_reminder:SMS_200&endpoint=${fake.url}&callbackToken=${CALLBACK_TOKEN}` +
      (o.query ?? '');
    return kit.build(createAliyunProvider, url, {
      publicUrl: receiver.publicUrl,
      ...(o.clockSkewMs === undefined ? {} : { clockSkewMs: o.clockSkewMs }),
    });
  };

  beforeAll(async () => {
    receiver = await startStatusReceiver(() => provider);
    fake = await startFakeAliyun({
      accessKeyId: KEY_ID,
      accessKeySecret: SECRET,
      signNames: [SIGN],
      templates: {
        SMS_100: { content: '您的验证码为${code}，${minutes}分钟内有效。' },
        SMS_200: { content: '${name}您好，您预约的${service}将于${time}开始。' },
        SMS_300: { content: 'Your Tidings code is ${code}', international: true },
      },
      // As registered in Aliyun's console, with the shared secret in the query.
      reportUrl: `${receiver.publicUrl}/webhooks/aliyun/status?token=${CALLBACK_TOKEN}`,
      reportDelayMs: 10,
      reportRetryDelaysMs: [],
    });
  });
  afterEach(async () => {
    await fake.reportsSettled();
    fake.setLatency(0);
    await kit.cleanUp(SECRET, '13800138000');
  });
  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('sends the mapped template with its data, and the SmsReport verifies and parses to delivered', async () => {
    provider = make();
    expect(provider).toMatchObject({ id: 'aliyun:default', kind: 'aliyun', channel: 'sms' });
    const result = await provider.send(message(), neverAborted());
    expect(result).toEqual({ providerMessageId: expect.stringMatching(/^\d+\^0$/), status: 'sent', price: null });
    expect(fake.sent.at(-1)).toMatchObject({
      bizId: result.providerMessageId,
      phoneNumber: '13800138000',
      signName: SIGN,
      templateCode: 'SMS_100',
      params: { code: '042917', minutes: '5' },
      outId: 'msg_01HZX',
      text: '【阿里云】您的验证码为042917，5分钟内有效。',
      signatureMethod: 'ACS3-HMAC-SHA256',
    });

    await fake.reportsSettled();
    const mine = receiver.eventsFor(result.providerMessageId);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(mine).toEqual([
      expect.objectContaining({
        status: 'delivered',
        errorCode: null,
        detail: expect.objectContaining({ outId: 'msg_01HZX' }),
      }),
    ]);
    expect(fake.reports.at(-1)).toMatchObject({ httpStatus: 200, acknowledged: true });
  });

  it("prefers the template's own code, sends international numbers as country code + number, reports undelivered", async () => {
    provider = make({ query: '&name=intl' });
    fake.respondTo('+85291234567', { outcome: 'undelivered', errCode: 'MK:0001', errMsg: '空号' });
    const msg = message({ to: '+85291234567', template: template({ providerTemplates: { aliyun: 'SMS_300' } }) });
    const result = await provider.send(msg, neverAborted());
    expect(provider.id).toBe('aliyun:intl');
    expect(fake.sent.at(-1)).toMatchObject({ phoneNumber: '85291234567', templateCode: 'SMS_300' });
    await fake.reportsSettled();
    const events = receiver.eventsFor(result.providerMessageId);
    expect(events).toEqual([
      expect.objectContaining({ status: 'undelivered', errorCode: 'MK:0001', errorMessage: '空号' }),
    ]);
  });

  it('signs parameters with characters that need encoding care exactly as the gateway reads them', async () => {
    const data = { name: "O'Brien (VIP)*", service: '牙科 + 洗牙 & 咨询', time: '9:30 ~ 10:00/周一!' };
    await make().send(message({ template: template({ name: 'booking_reminder', data }) }), neverAborted());
    expect(fake.sent.at(-1)).toMatchObject({ templateCode: 'SMS_200', params: data });
  });

  it('refuses a message without a mapped template before any request, saying what to configure', async () => {
    const p = make();
    const requests = fake.requests;
    for (const msg of [message({ template: null }), message({ template: template({ name: 'welcome' }) })]) {
      const err = await sendError(p, msg);
      expect(err).toMatchObject({ kind: 'rejected_content', providerCode: 'template_not_mapped', retryable: false });
      expect(err.message).toMatch(/templates=|providerTemplates\.aliyun/);
    }
    expect(fake.requests).toBe(requests);
  });

  it.each([
    ['an illegal number', { to: '+861012345678' }, 'isv.MOBILE_NUMBER_ILLEGAL', 'invalid_recipient'],
    [
      'an unregistered template',
      { template: template({ providerTemplates: { aliyun: 'SMS_999' } }) },
      'isv.SMS_TEMPLATE_ILLEGAL',
      'rejected_content',
    ],
    [
      'data that lacks a variable',
      { template: template({ data: { code: '1' } }) },
      'isv.TEMPLATE_MISSING_PARAMETERS',
      'rejected_content',
    ],
    [
      'a link in a variable',
      { template: template({ data: { code: 'www.example.com', minutes: 5 } }) },
      'isv.PARAM_NOT_SUPPORT_URL',
      'rejected_content',
    ],
  ])('%s → %s → %s', async (_what, over, code, kind) => {
    const err = await sendError(make(), message(over));
    expect(err).toMatchObject({ kind, providerCode: code, retryable: false });
    expect(err.cause).toBeInstanceOf(AliyunApiError);
    expect(err.cause).toMatchObject({ code, httpStatus: 200, requestId: expect.any(String) });
  });

  it('an unapproved signature → rejected_content (isv.SMS_SIGNATURE_ILLEGAL)', async () => {
    const err = await sendError(make({ sign: 'Tidings' }), message());
    expect(err).toMatchObject({ kind: 'rejected_content', providerCode: 'isv.SMS_SIGNATURE_ILLEGAL' });
  });

  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', { message: '触发分钟级流控Permits:1' }, 'rate_limited', 60_000],
    ['Throttling.User', { retryAfterMs: 1500 }, 'rate_limited', 1500],
    ['isp.SYSTEM_ERROR', {}, 'transient', null],
    ['InternalError', {}, 'transient', null],
    ['ServiceUnavailable', {}, 'unavailable', null],
    ['isv.AMOUNT_NOT_ENOUGH', {}, 'unavailable', null],
    ['isv.OUT_OF_SERVICE', {}, 'unavailable', null],
    ['isp.RAM_PERMISSION_DENY', {}, 'auth', null],
    ['isv.BLACK_KEY_CONTROL_LIMIT', {}, 'rejected_content', null],
    ['isv.MOBILE_COUNT_OVER_LIMIT', {}, 'permanent', null],
  ])('%s from the fake → %s', async (code, opts, kind, retryAfterMs) => {
    fake.failNext(1, code, opts);
    const err = await sendError(make(), message());
    expect(err).toMatchObject({ kind, providerCode: code, retryAfterMs });
  });

  it('a wrong secret or an unknown key id → auth, as the gateway refuses them', async () => {
    const wrong = await sendError(make({ secret: 'not-the-secret-0000' }), message());
    expect(wrong).toMatchObject({ kind: 'auth', providerCode: 'SignatureDoesNotMatch' });
    expect(wrong.cause).toMatchObject({ httpStatus: 400 });
    const unknown = await sendError(make({ keyId: 'LTAIunknown' }), message());
    expect(unknown).toMatchObject({ kind: 'auth', providerCode: 'InvalidAccessKeyId.NotFound' });
    expect(unknown.cause).toMatchObject({ httpStatus: 404 });
  });

  it('a clock 20 minutes off → auth (InvalidTimeStamp.Expired): an operator must fix the time', async () => {
    const err = await sendError(make({ clockSkewMs: -20 * 60_000 }), message());
    expect(err).toMatchObject({ kind: 'auth', providerCode: 'InvalidTimeStamp.Expired' });
  });

  it('a load balancer’s 503 → unavailable, 502 and 500 → transient, a garbled 200 → transient', async () => {
    const p = make();
    fake.httpErrorNext(1, 503);
    expect(await sendError(p, message())).toMatchObject({ kind: 'unavailable', providerCode: '503' });
    fake.httpErrorNext(1, 502);
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: '502' });
    fake.httpErrorNext(1, 500);
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: '500' });
    fake.malformedNext(1);
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: null });
  });

  it('a connection reset → transient, and the next send works on a fresh connection', async () => {
    const p = make();
    fake.resetNext(1);
    const before = fake.requests;
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient' });
    expect(fake.requests).toBe(before + 1); // a POST is never retried behind our back
    await expect(p.send(message(), neverAborted())).resolves.toMatchObject({ status: 'sent' });
  });

  it('a slow server → transient after timeoutMs, and the request is aborted', async () => {
    const p = make({ query: '&timeoutMs=200' });
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

  it('refuses forged reports: no token, a wrong token, or another instance’s token', async () => {
    provider = make();
    const before = receiver.received.length;
    const forged = [{ biz_id: '1^0', success: true, err_code: 'DELIVERED', report_time: '2024-01-01 00:00:00' }];
    const base = `${receiver.publicUrl}/webhooks/aliyun/status`;
    for (const url of [base, `${base}?token=report-token-0123456780`, `${base}?token=${CALLBACK_TOKEN}x`]) {
      expect(await fake.pushReports(forged, url)).toMatchObject({ httpStatus: 403, acknowledged: false });
    }
    expect(receiver.received.slice(before).map((r) => r.verified)).toEqual([false, false, false]);
    expect(await fake.pushReports(forged)).toMatchObject({ httpStatus: 200, acknowledged: true });
  });

  it('takes no reports without a callbackToken, and describe() masks the secrets', () => {
    const url = `aliyun://${KEY_ID}:${SECRET}@${encodeURIComponent(SIGN)}?endpoint=${fake.url}`;
    const bare = kit.build(createAliyunProvider, url, { publicUrl: receiver.publicUrl });
    expect(bare.statusWebhook).toBeUndefined();
    const text = make().describe();
    expect(text).toContain(KEY_ID);
    expect(text).toContain('Tidi****');
    expect(text).toContain('callbackToken=repo****');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(CALLBACK_TOKEN);
  });
});
