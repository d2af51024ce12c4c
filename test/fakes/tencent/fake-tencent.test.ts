import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tc3Sign } from '../../../src/providers/tencent/tc3-signature.js';
import { startFakeTencent, verifyTc3, type FakeTencent } from './index.js';

// The fake checked from the outside with raw HTTP. The official SDK is not installed; requests are
// signed with our signer, which is itself pinned to Tencent's worked example C1, and the fake's
// verifier (written separately) is pinned to C1 below.
const ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
const KEY = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';
const APP = '1400006666';
const HOST = 'sms.tencentcloudapi.com';

const C1 = {
  body: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  timestamp: 1551113065,
  authorization:
    'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
    'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
};

describe('verifyTc3 on worked example C1', () => {
  const c1 = (headers: Record<string, string> = {}, body = C1.body) => ({
    method: 'POST',
    url: '/',
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      host: 'cvm.tencentcloudapi.com',
      'x-tc-timestamp': String(C1.timestamp),
      authorization: C1.authorization,
      ...headers,
    },
  });
  const opts = { secrets: new Map([[ID, KEY]]), now: C1.timestamp * 1000, service: 'cvm' };

  it("accepts Tencent's documented request, with or without a port on the Host", () => {
    expect(verifyTc3(c1(), opts)).toMatchObject({
      ok: true,
      auth: { secretId: ID, date: '2019-02-25', service: 'cvm' },
    });
    expect(verifyTc3(c1({ host: 'cvm.tencentcloudapi.com:443' }), opts).ok).toBe(true);
    expect(verifyTc3(c1(), { ...opts, now: (C1.timestamp + 300) * 1000 }).ok).toBe(true);
  });

  it.each([
    ['a changed body', c1({}, C1.body.replace('1', '2')), opts, 'AuthFailure.SignatureFailure'],
    ['another key', c1(), { ...opts, secrets: new Map([[ID, 'other']]) }, 'AuthFailure.SignatureFailure'],
    ['another host', c1({ host: 'sms.tencentcloudapi.com' }), opts, 'AuthFailure.SignatureFailure'],
    ['another content type', c1({ 'content-type': 'application/json' }), opts, 'AuthFailure.SignatureFailure'],
    ['the sms endpoint', c1(), { ...opts, service: 'sms' }, 'AuthFailure.SignatureFailure'],
    ['301 s of skew', c1(), { ...opts, now: (C1.timestamp + 301) * 1000 }, 'AuthFailure.SignatureExpire'],
    ['an unknown SecretId', c1(), { ...opts, secrets: new Map([['AKIDother', KEY]]) }, 'AuthFailure.SecretIdNotFound'],
    ['no Authorization', c1({ authorization: '' }), opts, 'AuthFailure.InvalidAuthorization'],
    ['HMAC-SHA1', c1({ authorization: 'HMAC-SHA1 whatever' }), opts, 'AuthFailure.InvalidAuthorization'],
    ['no timestamp', c1({ 'x-tc-timestamp': '' }), opts, 'MissingParameter'],
    [
      'a scope date that is not the timestamp date',
      c1({ authorization: C1.authorization.replace('2019-02-25', '2019-02-26') }),
      opts,
      'AuthFailure.SignatureFailure',
    ],
  ])('refuses %s', (_what, req, o, code) => {
    expect(verifyTc3(req, o)).toMatchObject({ ok: false, code });
  });
});

interface Answer {
  status: number;
  json: { Response: Record<string, unknown> & { RequestId?: string } };
  text: string;
}

describe('fake Tencent SendSms', () => {
  let fake: FakeTencent;
  let hooks: Server;
  let hookUrl: string;
  const hits: { url: string; contentType: string | undefined; body: string }[] = [];
  let hookReply = '{"result":0,"errmsg":"OK"}';

  beforeAll(async () => {
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        hits.push({ url: req.url ?? '', contentType: req.headers['content-type'], body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(hookReply);
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/tencent/status?token=abc`;
    fake = await startFakeTencent({
      secretId: ID,
      secretKey: KEY,
      sdkAppId: APP,
      signNames: ['腾讯云'],
      templates: {
        '1110': { content: 'Your code is {1}, valid for {2} minutes.', verification: true },
        '2220': { content: '您好{1}，您预约的{2}即将开始。' },
        '3330': { content: 'Hello {1}', international: true },
      },
      callbackUrl: hookUrl,
      callbackDelayMs: 10,
    });
  });
  beforeEach(() => {
    hits.length = 0;
    hookReply = '{"result":0,"errmsg":"OK"}';
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((r) => hooks.close(() => r()));
  });

  const body = (over: Record<string, unknown> = {}) => ({
    PhoneNumberSet: ['+8613800138000'],
    SmsSdkAppId: APP,
    SignName: '腾讯云',
    TemplateId: '1110',
    TemplateParamSet: ['123456', '5'],
    SessionContext: 'msg_1',
    ...over,
  });

  async function call(
    payload: unknown,
    o: { headers?: Record<string, string>; key?: string; timestamp?: number; host?: string; service?: string } = {},
  ): Promise<Answer> {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
    const signed = tc3Sign({
      secretId: ID,
      secretKey: o.key ?? KEY,
      host: o.host ?? HOST,
      contentType: 'application/json',
      timestamp,
      payload: text,
      ...(o.service ? { service: o.service } : {}),
    });
    const res = await request(`${fake.url}/`, {
      method: 'POST',
      headers: {
        host: o.host ?? HOST,
        'content-type': 'application/json',
        authorization: signed.authorization,
        'x-tc-action': 'SendSms',
        'x-tc-version': '2021-01-11',
        'x-tc-timestamp': String(timestamp),
        'x-tc-region': 'ap-guangzhou',
        ...o.headers,
      },
      body: text,
    });
    const raw = await res.body.text();
    let json: Answer['json'] = { Response: {} };
    try {
      json = JSON.parse(raw) as Answer['json'];
    } catch {
      // left empty for non-JSON answers
    }
    return { status: res.statusCode, json, text: raw };
  }

  const errorOf = (a: Answer) => (a.json.Response.Error as { Code: string; Message: string } | undefined)?.Code;

  it('sends and answers the real success shape, rendering the sign and template', async () => {
    const a = await call(body());
    expect(a.status).toBe(200);
    const [s] = a.json.Response.SendStatusSet as Record<string, unknown>[];
    expect(s).toEqual({
      SerialNo: expect.stringMatching(/^\d{4}:\d{28}$/),
      PhoneNumber: '+8613800138000',
      Fee: 1,
      SessionContext: 'msg_1',
      Code: 'Ok',
      Message: 'send success',
      IsoCode: 'CN',
    });
    expect(a.json.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.json.Response.Error).toBeUndefined();
    expect(fake.sent.at(-1)).toMatchObject({
      serialNo: s?.SerialNo,
      phoneNumber: '+8613800138000',
      signName: '腾讯云',
      templateId: '1110',
      params: ['123456', '5'],
      text: '【腾讯云】Your code is 123456, valid for 5 minutes.',
      sessionContext: 'msg_1',
    });
  });

  it('answers per number: normalized mainland numbers, bad numbers and rule codes, still HTTP 200', async () => {
    fake.respondTo('+8613800138001', { code: 'LimitExceeded.PhoneNumberDailyLimit' });
    const a = await call(body({ PhoneNumberSet: ['13800138002', '+8613800138001', '+86123'] }));
    expect(a.status).toBe(200);
    const set = a.json.Response.SendStatusSet as Record<string, unknown>[];
    expect(set.map((s) => [s.PhoneNumber, s.Code])).toEqual([
      ['+8613800138002', 'Ok'],
      ['+8613800138001', 'LimitExceeded.PhoneNumberDailyLimit'],
      ['+86123', 'InvalidParameterValue.IncorrectPhoneNumber'],
    ]);
    expect(set[1]).toMatchObject({ SerialNo: '', Fee: 0, Message: expect.stringContaining('every day') });
    expect(set[2]).toMatchObject({ SerialNo: '', Fee: 0, IsoCode: 'DEF' });
  });

  it('bills long Chinese texts by 67-character parts and sends international templates without a sign', async () => {
    const long = await call(body({ TemplateId: '2220', TemplateParamSet: ['王'.repeat(30), '牙'.repeat(40)] }));
    expect((long.json.Response.SendStatusSet as { Fee: number }[])[0]?.Fee).toBe(2);
    const intl = await call(
      body({
        PhoneNumberSet: ['+14155550123'],
        SignName: undefined,
        TemplateId: '3330',
        TemplateParamSet: ['Ann'],
        SenderId: 'Tidings',
      }),
    );
    expect((intl.json.Response.SendStatusSet as { Code: string; IsoCode: string }[])[0]).toMatchObject({
      Code: 'Ok',
      IsoCode: 'US',
    });
    expect(fake.sent.at(-1)).toMatchObject({ signName: null, senderId: 'Tidings', text: 'Hello Ann' });
  });

  it.each([
    ['no Action', { headers: { 'x-tc-action': '' } }, 'MissingParameter'],
    ['another Action', { headers: { 'x-tc-action': 'SendStatusStatistics' } }, 'InvalidAction'],
    ['another Version', { headers: { 'x-tc-version': '2019-07-11' } }, 'NoSuchVersion'],
    ['no Region', { headers: { 'x-tc-region': '' } }, 'MissingParameter'],
    ['an unknown Region', { headers: { 'x-tc-region': 'eu-frankfurt' } }, 'UnsupportedRegion'],
    ['a form body', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 'InvalidParameter'],
    ['a wrong SecretKey', { key: 'wrong' }, 'AuthFailure.SignatureFailure'],
    ['a timestamp 6 minutes old', { timestamp: Math.floor(Date.now() / 1000) - 360 }, 'AuthFailure.SignatureExpire'],
    // What the official SDK does when pointed at 127.0.0.1 (providers.md §4.5): service "127" in the scope.
    ['the SDK-style scope 127', { service: '127' }, 'AuthFailure.SignatureFailure'],
    [
      'a Host that differs from the signed one',
      { headers: { host: 'sms.ap-beijing.tencentcloudapi.com' } },
      'AuthFailure.SignatureFailure',
    ],
  ])('refuses %s', async (_what, o, code) => {
    const before = fake.sent.length;
    const a = await call(body(), o);
    expect(a.status).toBe(200);
    expect(errorOf(a)).toBe(code);
    expect(a.json.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.sent.length).toBe(before);
  });

  it.each([
    ['no PhoneNumberSet', body({ PhoneNumberSet: undefined }), 'MissingParameter'],
    ['no SmsSdkAppId', body({ SmsSdkAppId: undefined }), 'MissingParameter'],
    ['no TemplateId', body({ TemplateId: undefined }), 'MissingParameter'],
    ['a string for PhoneNumberSet', body({ PhoneNumberSet: '+8613800138000' }), 'InvalidParameter'],
    ['numbers as params', body({ TemplateParamSet: [123456, 5] }), 'InvalidParameter'],
    ['not JSON', '{"PhoneNumberSet":', 'InvalidParameter'],
    ['an empty PhoneNumberSet', body({ PhoneNumberSet: [] }), 'MissingParameter.EmptyPhoneNumberSet'],
    ['201 numbers', body({ PhoneNumberSet: Array(201).fill('+8613800138000') }), 'LimitExceeded.PhoneNumberCountLimit'],
    [
      'mainland and international numbers together',
      body({ PhoneNumberSet: ['+8613800138000', '+14155550123'] }),
      'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber',
    ],
    ['another SmsSdkAppId', body({ SmsSdkAppId: '1400000001' }), 'InvalidParameterValue.SdkAppIdNotExist'],
    [
      'no SignName for a mainland number',
      body({ SignName: undefined }),
      'FailedOperation.SignatureIncorrectOrUnapproved',
    ],
    ['an unapproved SignName', body({ SignName: '别的' }), 'FailedOperation.SignatureIncorrectOrUnapproved'],
    ['an unknown TemplateId', body({ TemplateId: '9999' }), 'FailedOperation.TemplateIncorrectOrUnapproved'],
    [
      'an international template for +86',
      body({ TemplateId: '3330', TemplateParamSet: ['a'] }),
      'FailedOperation.TemplateIncorrectOrUnapproved',
    ],
    [
      'too few params',
      body({ TemplateParamSet: ['123456'] }),
      'FailedOperation.TemplateParamSetNotMatchApprovedTemplate',
    ],
    [
      'letters in a verification code',
      body({ TemplateParamSet: ['12ab', '5'] }),
      'InvalidParameterValue.TemplateParameterFormatError',
    ],
    ['a 513-byte SessionContext', body({ SessionContext: 'x'.repeat(513) }), 'InvalidParameterValue'],
  ])('refuses a body with %s', async (_what, payload, code) => {
    const a = await call(payload);
    expect(a.status).toBe(200);
    expect(errorOf(a)).toBe(code);
  });

  it('fails on demand: vendor codes, gateway statuses, resets, garbage', async () => {
    fake.failNext(1, 'RequestLimitExceeded');
    fake.failNext(1, 'InternalError', 'boom');
    expect(errorOf(await call(body()))).toBe('RequestLimitExceeded');
    expect((await call(body())).json.Response.Error).toEqual({ Code: 'InternalError', Message: 'boom' });
    // A vendor error waits for a request that passes auth; a refused one does not use it up.
    fake.failNext(1, 'FailedOperation.InsufficientBalanceInSmsPackage');
    expect(errorOf(await call(body(), { key: 'wrong' }))).toBe('AuthFailure.SignatureFailure');
    expect(errorOf(await call(body()))).toBe('FailedOperation.InsufficientBalanceInSmsPackage');
    fake.httpErrorNext(1, 502);
    const gateway = await call(body());
    expect(gateway.status).toBe(502);
    expect(gateway.text).toContain('<html>');
    fake.malformedNext(1);
    const garbage = await call(body());
    expect(() => JSON.parse(garbage.text) as unknown).toThrow();
    fake.resetNext(1);
    await expect(call(body())).rejects.toThrow();
    expect(errorOf(await call(body()))).toBeUndefined();
    fake.failNext(1, 'InternalError');
    fake.httpErrorNext(1, 503);
    fake.clearFaults();
    expect(errorOf(await call(body()))).toBeUndefined();
  });

  it('pushes delivery reports to the console URL as JSON arrays, batched, and records the acknowledgement', async () => {
    await fake.callbacksSettled(); // reports of earlier tests
    hits.length = 0;
    fake.respondTo('+8613800138009', { outcome: 'undelivered', errmsg: 'MK:0001' });
    const a = await call(body({ PhoneNumberSet: ['+8613800138000', '+8613800138009'] }));
    const serials = (a.json.Response.SendStatusSet as { SerialNo: string }[]).map((s) => s.SerialNo);
    await fake.callbacksSettled();
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ url: '/tencent/status?token=abc', contentType: 'application/json' });
    const reports = JSON.parse(hits[0]?.body ?? '[]') as Record<string, string>[];
    expect(reports).toEqual([
      {
        user_receive_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        nationcode: '86',
        mobile: '13800138000',
        report_status: 'SUCCESS',
        errmsg: 'DELIVRD',
        description: '用户短信送达成功',
        sid: serials[0],
      },
      expect.objectContaining({ mobile: '13800138009', report_status: 'FAIL', errmsg: 'MK:0001', sid: serials[1] }),
    ]);
    expect(fake.callbacks.at(-1)).toMatchObject({ httpStatus: 200, acknowledged: true });

    hookReply = '<Response/>';
    const pushed = await fake.pushStatus([{ sid: 'forged', report_status: 'SUCCESS' }]);
    expect(pushed).toMatchObject({ httpStatus: 200, acknowledged: false });
    expect(hits.at(-1)?.body).toBe('[{"sid":"forged","report_status":"SUCCESS"}]');
  });
});
