import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type * as Dysmsapi from '@alicloud/dysmsapi20170525';
import type * as OpenApiCore from '@alicloud/openapi-core';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acs3Sign, canonicalQuery } from '../../../src/providers/aliyun/acs3-signature.js';
import {
  expectedRpcSignature,
  rpcStringToSign,
  startFakeAliyun,
  verifyAcs3,
  verifyRpc,
  type FakeAliyun,
} from './index.js';

// The fake is checked three ways: its verifiers against Aliyun's worked examples A1 and A2, the
// official SDK (both of its signature schemes) against the running fake, and raw requests signed
// by the adapter's signer for what the SDK would refuse to send.
const require = createRequire(import.meta.url);
// CommonJS packages, loaded with require; for NodeNext typing, module.exports is the namespace's `default`.
const sdk = require('@alicloud/dysmsapi20170525') as typeof Dysmsapi.default;
const core = require('@alicloud/openapi-core') as typeof OpenApiCore;

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const A1_SIGN = '阿里云短信测试专用';
const A1_PARAMS = {
  AccessKeyId: 'testId',
  Action: 'SendSms',
  Format: 'XML',
  OutId: '123',
  PhoneNumbers: '15300000001',
  RegionId: 'cn-hangzhou',
  SignName: A1_SIGN,
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_71390007',
  TemplateParam: '{"customer":"test"}',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
};
const A1_NOW = Date.parse('2017-07-12T02:42:19Z');

describe('verifyRpc on worked example A1', () => {
  const secrets = new Map([['testId', 'testSecret']]);
  const signed = { ...A1_PARAMS, Signature: 'zJDF+Lrzhj/ThnlvIToysFRq6t4=' };

  it("builds Aliyun's StringToSign and signature, and accepts the documented request", () => {
    expect(rpcStringToSign('GET', A1_PARAMS)).toBe(
      'GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001' +
        '%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4' +
        '%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1' +
        '%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode' +
        '%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp' +
        '%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25',
    );
    expect(expectedRpcSignature('testSecret', 'GET', A1_PARAMS)).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(verifyRpc('GET', signed, { secrets, now: A1_NOW })).toMatchObject({
      ok: true,
      accessKeyId: 'testId',
      action: 'SendSms',
      version: '2017-05-25',
      format: 'XML',
      params: { OutId: '123', PhoneNumbers: '15300000001', SignName: A1_SIGN, TemplateCode: 'SMS_71390007' },
    });
    expect(verifyRpc('GET', signed, { secrets, now: A1_NOW + 15 * 60_000 }).ok).toBe(true);
  });

  it.each([
    ['another secret', signed, { secrets: new Map([['testId', 'other']]) }, 'SignatureDoesNotMatch'],
    ['a changed parameter', { ...signed, OutId: '124' }, {}, 'SignatureDoesNotMatch'],
    ['POST instead of GET', signed, { method: 'POST' }, 'SignatureDoesNotMatch'],
    ['an unknown key id', { ...signed, AccessKeyId: 'other' }, {}, 'InvalidAccessKeyId.NotFound'],
    ['16 minutes of skew', signed, { now: A1_NOW + 16 * 60_000 }, 'InvalidTimeStamp.Expired'],
    ['a bad timestamp', { ...signed, Timestamp: '2017-07-12 02:42:19' }, {}, 'InvalidTimeStamp.Format'],
    ['no nonce', { ...signed, SignatureNonce: '' }, {}, 'MissingSignatureNonce'],
    ['HMAC-SHA256', { ...signed, SignatureMethod: 'HMAC-SHA256' }, {}, 'IncompleteSignature'],
  ])('refuses %s', (_what, params, o: { secrets?: Map<string, string>; now?: number; method?: string }, code) => {
    const result = verifyRpc(o.method ?? 'GET', params, { secrets: o.secrets ?? secrets, now: o.now ?? A1_NOW });
    expect(result).toMatchObject({ ok: false, code });
  });
});

describe('verifyAcs3 on worked example A2', () => {
  const A2_URL = '/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai';
  const A2_NOW = Date.parse('2023-10-26T10:22:32Z');
  const a2 = (headers: Record<string, string> = {}, url = A2_URL, body = '') => ({
    method: 'POST',
    url,
    body,
    headers: {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-content-sha256': EMPTY_SHA256,
      authorization:
        'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,' +
        'SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,' +
        'Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
      ...headers,
    },
  });
  const opts = { secrets: new Map([['YourAccessKeyId', 'YourAccessKeySecret']]), now: A2_NOW };

  it("accepts Aliyun's documented request, whatever the order and encoding of its query", () => {
    expect(verifyAcs3(a2(), opts)).toMatchObject({
      ok: true,
      accessKeyId: 'YourAccessKeyId',
      action: 'RunInstances',
      version: '2014-05-26',
      nonce: '3156853299f313e23d1673dc12e1703d',
      query: { RegionId: 'cn-shanghai' },
    });
    const reordered = '/?RegionId=cn%2Dshanghai&ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd';
    expect(verifyAcs3(a2({}, reordered), opts).ok).toBe(true);
  });

  it.each([
    ['another secret', a2(), { secrets: new Map([['YourAccessKeyId', 'x']]) }, 'SignatureDoesNotMatch'],
    ['a changed query', a2({}, `${A2_URL.replace('shanghai', 'hangzhou')}`), {}, 'SignatureDoesNotMatch'],
    ['another host', a2({ host: 'ecs.aliyuncs.com' }), {}, 'SignatureDoesNotMatch'],
    ['a body that is not the hashed one', a2({}, A2_URL, 'x'), {}, 'SignatureDoesNotMatch'],
    ['an unsigned x-acs header', a2({ 'x-acs-credentials-provider': 'static_ak' }), {}, 'IncompleteSignature'],
    ['an unsigned content-type', a2({ 'content-type': 'application/json' }), {}, 'IncompleteSignature'],
    ['no Authorization', a2({ authorization: '' }), {}, 'IncompleteSignature'],
    ['an HMAC-SHA1 Authorization', a2({ authorization: 'acs testId:abc' }), {}, 'IncompleteSignature'],
    ['no x-acs-date', a2({ 'x-acs-date': '' }), {}, 'IncompleteSignature'],
    ['no x-acs-action', a2({ 'x-acs-action': '' }), {}, 'MissingAction'],
    ['16 minutes of skew', a2(), { now: A2_NOW - 16 * 60_000 }, 'InvalidTimeStamp.Expired'],
    [
      'an unknown key id',
      a2(),
      { secrets: new Map([['other', 'YourAccessKeySecret']]) },
      'InvalidAccessKeyId.NotFound',
    ],
  ])('refuses %s', (_what, req, o, code) => {
    expect(verifyAcs3(req, { ...opts, ...o })).toMatchObject({ ok: false, code });
  });
});

const KEY_ID = 'LTAI5tFakeKeyId0001';
const SECRET = 'FakeSecret0123456789abcdefghij';
const SIGN = '阿里云';

describe('fake Aliyun SendSms', () => {
  let fake: FakeAliyun;
  let hooks: Server;
  let hookUrl: string;
  const hits: { url: string; contentType: string | undefined; body: string }[] = [];
  let hookReply = '{"code":0,"msg":"接收成功"}';

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
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/aliyun/report?token=abc`;
    fake = await startFakeAliyun({
      accessKeyId: KEY_ID,
      accessKeySecret: SECRET,
      signNames: [SIGN],
      templates: {
        SMS_100: { content: '您的验证码为${code}，${minutes}分钟内有效。' },
        SMS_200: { content: '您好${name}，您预约的${service}将于${time}开始。' },
        SMS_300: { content: 'Your code is ${code}', international: true },
      },
      reportUrl: hookUrl,
      reportDelayMs: 10,
      reportRetryDelaysMs: [30, 30, 30],
    });
  });
  beforeEach(async () => {
    await fake.reportsSettled();
    hits.length = 0;
    hookReply = '{"code":0,"msg":"接收成功"}';
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((r) => hooks.close(() => r()));
  });

  function sdkClient(o: { secret?: string; keyId?: string; v2?: boolean } = {}) {
    return new sdk.default(
      new core.$OpenApiUtil.Config({
        accessKeyId: o.keyId ?? KEY_ID,
        accessKeySecret: o.secret ?? SECRET,
        endpoint: fake.host,
        protocol: 'HTTP',
        ...(o.v2 ? { signatureAlgorithm: 'v2' } : {}),
      }),
    );
  }
  const otp = (over: Record<string, string> = {}) =>
    new sdk.SendSmsRequest({
      phoneNumbers: '13800138000',
      signName: SIGN,
      templateCode: 'SMS_100',
      templateParam: '{"code":"042917","minutes":"5"}',
      outId: 'msg_1',
      ...over,
    });
  async function sdkError(p: Promise<unknown>): Promise<{ code?: string; statusCode?: number; name: string }> {
    try {
      await p;
    } catch (err) {
      return err as { code?: string; statusCode?: number; name: string };
    }
    throw new Error('expected the SDK to throw');
  }

  /** A raw ACS3-signed SendSms, for requests the SDK would not send. */
  async function raw(query: Record<string, string>, o: { headers?: Record<string, string>; date?: Date } = {}) {
    const signed: Record<string, string> = {
      host: fake.host,
      'x-acs-action': 'SendSms',
      'x-acs-version': '2017-05-25',
      'x-acs-date': (o.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'x-acs-signature-nonce': createHash('sha256').update(String(Math.random())).digest('hex'),
      'x-acs-content-sha256': EMPTY_SHA256,
      ...o.headers,
    };
    const { authorization } = acs3Sign({
      accessKeyId: KEY_ID,
      accessKeySecret: SECRET,
      method: 'POST',
      path: '/',
      query,
      headers: signed,
      hashedPayload: EMPTY_SHA256,
    });
    const res = await request(`${fake.url}/?${canonicalQuery(query)}`, {
      method: 'POST',
      headers: { ...signed, authorization },
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text, json: JSON.parse(text) as Record<string, string> };
  }
  const params = (over: Record<string, string> = {}) => ({
    PhoneNumbers: '13800138000',
    SignName: SIGN,
    TemplateCode: 'SMS_100',
    TemplateParam: '{"code":"042917","minutes":"5"}',
    ...over,
  });

  it('takes the official SDK with its default ACS3 signature and answers the real success shape', async () => {
    const res = await sdkClient().sendSms(otp());
    expect(res.statusCode).toBe(200);
    expect(res.body?.toMap()).toEqual({
      Code: 'OK',
      Message: 'OK',
      BizId: expect.stringMatching(/^\d{18}\^0$/),
      RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
    });
    expect(fake.sent.at(-1)).toMatchObject({
      bizId: res.body?.bizId,
      phoneNumber: '13800138000',
      e164: '+8613800138000',
      signName: SIGN,
      templateCode: 'SMS_100',
      params: { code: '042917', minutes: '5' },
      outId: 'msg_1',
      text: '【阿里云】您的验证码为042917，5分钟内有效。',
      smsSize: 1,
      accessKeyId: KEY_ID,
      signatureMethod: 'ACS3-HMAC-SHA256',
    });
  });

  it("takes the SDK's HMAC-SHA1 (v2) signature too, and characters that need care in both", async () => {
    const tricky = '{"name":"A (b) c*d ~e!\'f+g","service":"牙科 & 洗牙","time":"9:30"}';
    for (const v2 of [false, true]) {
      const res = await sdkClient({ v2 }).sendSms(otp({ templateCode: 'SMS_200', templateParam: tricky }));
      expect(res.body?.code).toBe('OK');
      expect(fake.sent.at(-1)).toMatchObject({
        signatureMethod: v2 ? 'HMAC-SHA1' : 'ACS3-HMAC-SHA256',
        text: "【阿里云】您好A (b) c*d ~e!'f+g，您预约的牙科 & 洗牙将于9:30开始。",
      });
    }
  });

  it('refuses a wrong secret or key id, as the SDK sees it', async () => {
    for (const v2 of [false, true]) {
      expect(await sdkError(sdkClient({ secret: 'wrong', v2 }).sendSms(otp()))).toMatchObject({
        code: 'SignatureDoesNotMatch',
        statusCode: 400,
      });
      expect(await sdkError(sdkClient({ keyId: 'LTAIother', v2 }).sendSms(otp()))).toMatchObject({
        code: 'InvalidAccessKeyId.NotFound',
        statusCode: 404,
      });
    }
  });

  it.each([
    ['an unknown signature', { signName: '别的' }, 'isv.SMS_SIGNATURE_ILLEGAL'],
    ['an unknown template', { templateCode: 'SMS_999' }, 'isv.SMS_TEMPLATE_ILLEGAL'],
    ['an illegal number', { phoneNumbers: '1380013800' }, 'isv.MOBILE_NUMBER_ILLEGAL'],
    ['a +86 landline', { phoneNumbers: '861012345678' }, 'isv.MOBILE_NUMBER_ILLEGAL'],
    ['numbers as values', { templateParam: '{"code":42917,"minutes":"5"}' }, 'isv.INVALID_JSON_PARAM'],
    ['TemplateParam that is not JSON', { templateParam: '{code:1}' }, 'isv.INVALID_JSON_PARAM'],
    ['a missing variable', { templateParam: '{"code":"042917"}' }, 'isv.TEMPLATE_MISSING_PARAMETERS'],
    ['a 36-character value', { templateParam: `{"code":"${'1'.repeat(36)}","minutes":"5"}` }, 'isv.PARAM_LENGTH_LIMIT'],
    ['a URL in a value', { templateParam: '{"code":"http://x.cn","minutes":"5"}' }, 'isv.PARAM_NOT_SUPPORT_URL'],
    [
      'an international template to a mainland number',
      { phoneNumbers: '8613800138000', templateCode: 'SMS_300', templateParam: '{"code":"1"}' },
      'isv.DOMESTIC_NUMBER_NOT_SUPPORTED',
    ],
    ['1,001 numbers', { phoneNumbers: '13800138000,'.repeat(1000) + '13800138000' }, 'isv.MOBILE_COUNT_OVER_LIMIT'],
  ])('answers %s with HTTP 200 and its isv code, which the SDK resolves with', async (_what, over, code) => {
    const before = fake.sent.length;
    const res = await sdkClient().sendSms(otp(over));
    expect(res.statusCode).toBe(200);
    expect(res.body?.code).toBe(code);
    expect(res.body?.bizId).toBeUndefined();
    expect(res.body?.message).toMatch(/\S/);
    expect(fake.sent.length).toBe(before);
  });

  it('sends international templates to international numbers, all numbers of a request under one BizId', async () => {
    const res = await sdkClient().sendSms(
      otp({ phoneNumbers: '85291234567,14155550123', templateCode: 'SMS_300', templateParam: '{"code":"77"}' }),
    );
    expect(res.body?.code).toBe('OK');
    expect(fake.sent.slice(-2).map((s) => [s.e164, s.bizId])).toEqual([
      ['+85291234567', res.body?.bizId],
      ['+14155550123', res.body?.bizId],
    ]);
  });

  it.each([
    ['no PhoneNumbers', params({ PhoneNumbers: '' }), 'MissingPhoneNumbers'],
    ['no SignName', { PhoneNumbers: '13800138000', TemplateCode: 'SMS_100' }, 'MissingSignName'],
    ['no TemplateCode', { PhoneNumbers: '13800138000', SignName: SIGN }, 'MissingTemplateCode'],
  ])('refuses %s at the gateway with HTTP 400 and the gateway shape', async (_what, query, code) => {
    const a = await raw(query);
    expect(a.status).toBe(400);
    expect(a.json).toEqual({
      RequestId: expect.any(String),
      HostId: fake.host,
      Code: code,
      Message: expect.stringContaining('is mandatory'),
      Recommend: expect.stringContaining(`q=${code}`),
    });
  });

  it('refuses another action or version, a stale date, a replayed nonce and an unsigned request', async () => {
    expect((await raw(params(), { headers: { 'x-acs-version': '2018-01-01' } })).json.Code).toBe('InvalidVersion');
    const other = await raw(params(), { headers: { 'x-acs-action': 'QuerySendDetails' } });
    expect([other.status, other.json.Code]).toEqual([404, 'InvalidAction.NotFound']);
    const stale = await raw(params(), { date: new Date(Date.now() - 16 * 60_000) });
    expect(stale.json.Code).toBe('InvalidTimeStamp.Expired');
    const replay = { 'x-acs-signature-nonce': 'fixed-nonce-0001' };
    expect((await raw(params(), { headers: replay })).json.Code).toBe('OK');
    expect((await raw(params(), { headers: replay })).json.Code).toBe('SignatureNonceUsed');
    const unsigned = await request(`${fake.url}/?${canonicalQuery(params())}`, { method: 'POST' });
    expect(unsigned.statusCode).toBe(400);
    expect((await unsigned.body.json()) as Record<string, string>).toMatchObject({ Code: 'IncompleteSignature' });
  });

  it('answers in XML when an RPC request asks for no Format, as Aliyun does by default', async () => {
    const p: Record<string, string> = {
      ...params(),
      AccessKeyId: KEY_ID,
      Action: 'SendSms',
      Version: '2017-05-25',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'nonce-xml-1',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    p.Signature = expectedRpcSignature(SECRET, 'GET', p);
    const res = await request(`${fake.url}/?${new URLSearchParams(p).toString()}`);
    expect(res.headers['content-type']).toBe('text/xml;charset=utf-8');
    expect(await res.body.text()).toMatch(
      /^<\?xml version='1.0' encoding='UTF-8'\?><SendSmsResponse><Code>OK<\/Code><Message>OK<\/Message><BizId>\d+\^0<\/BizId><RequestId>[0-9A-F-]+<\/RequestId><\/SendSmsResponse>$/,
    );
  });

  it('applies flow control per number and signature, naming the window', async () => {
    const limited = await startFakeAliyun({
      accessKeyId: KEY_ID,
      accessKeySecret: SECRET,
      signNames: [SIGN],
      templates: { SMS_100: { content: '验证码${code}' } },
      flowControl: { perMinute: 1, perHour: 5 },
    });
    try {
      const client = new sdk.default(
        new core.$OpenApiUtil.Config({
          accessKeyId: KEY_ID,
          accessKeySecret: SECRET,
          endpoint: limited.host,
          protocol: 'HTTP',
        }),
      );
      const send = (n: string) => client.sendSms(otp({ phoneNumbers: n, templateParam: '{"code":"1"}' }));
      expect((await send('13800138000')).body?.code).toBe('OK');
      const again = await send('13800138000');
      expect(again.body?.toMap()).toMatchObject({
        Code: 'isv.BUSINESS_LIMIT_CONTROL',
        Message: '触发分钟级流控Permits:1',
      });
      expect((await send('13800138001')).body?.code).toBe('OK');
    } finally {
      await limited.close();
    }
  });

  it('fails on demand: business and gateway codes in their own shapes, statuses, garbage, resets', async () => {
    fake.failNext(1, 'isp.SYSTEM_ERROR');
    fake.failNext(1, 'Throttling.User', { retryAfterMs: 1500 });
    fake.failNext(1, 'isv.BUSINESS_LIMIT_CONTROL', { message: '触发小时级流控Permits:5' });
    const sys = await raw(params());
    expect([sys.status, sys.json]).toEqual([
      200,
      { Message: '系统错误', RequestId: expect.any(String), Code: 'isp.SYSTEM_ERROR' },
    ]);
    const throttled = await raw(params());
    expect([throttled.status, throttled.json.Code, throttled.headers['x-acs-retry-after']]).toEqual([
      400,
      'Throttling.User',
      '1500',
    ]);
    expect((await raw(params())).json.Message).toBe('触发小时级流控Permits:5');
    fake.failNext(1, 'Throttling.User');
    expect(await sdkError(sdkClient().sendSms(otp()))).toMatchObject({
      name: 'ThrottlingError',
      code: 'Throttling.User',
    });

    fake.httpErrorNext(1, 502);
    const lb = await request(`${fake.url}/`, { method: 'POST' });
    expect([lb.statusCode, await lb.body.text()]).toEqual([502, expect.stringContaining('<html>')]);
    fake.malformedNext(1);
    const garbage = await request(`${fake.url}/`, { method: 'POST' });
    const garbageText = await garbage.body.text();
    expect(garbage.statusCode).toBe(200);
    expect(() => JSON.parse(garbageText) as unknown).toThrow();
    fake.resetNext(1);
    await expect(request(`${fake.url}/`, { method: 'POST' })).rejects.toThrow();
    expect((await raw(params())).json.Code).toBe('OK');
    fake.httpErrorNext(2, 503);
    fake.clearFaults();
    expect((await raw(params())).json.Code).toBe('OK');
  });

  it('refuses a request to a number with a rule', async () => {
    fake.respondTo('+8613800138005', { code: 'isv.BLACK_KEY_CONTROL_LIMIT' });
    expect((await raw(params({ PhoneNumbers: '13800138005' }))).json.Code).toBe('isv.BLACK_KEY_CONTROL_LIMIT');
  });

  it('pushes SmsReport as JSON arrays to the console URL, batched, and records the acknowledgement', async () => {
    fake.respondTo('+8613800138009', { outcome: 'undelivered', errCode: 'MK:0001', errMsg: '空号' });
    const res = await sdkClient().sendSms(otp({ phoneNumbers: '13800138000,+8613800138009', outId: 'msg_9' }));
    const bizId = res.body?.bizId;
    await fake.reportsSettled();
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ url: '/aliyun/report?token=abc', contentType: 'application/json;charset=utf-8' });
    expect(JSON.parse(hits[0]?.body ?? '[]')).toEqual([
      {
        phone_number: '13800138000',
        send_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        report_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
        biz_id: bizId,
        out_id: 'msg_9',
      },
      expect.objectContaining({ phone_number: '13800138009', success: false, err_code: 'MK:0001', err_msg: '空号' }),
    ]);
    expect(fake.reports.at(-1)).toMatchObject({ httpStatus: 200, acknowledged: true, attempt: 1 });
  });

  it('pushes a batch again, three more times, while the receiver does not acknowledge it', async () => {
    hookReply = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
    const before = fake.reports.length;
    await sdkClient().sendSms(otp());
    await fake.reportsSettled();
    await expect.poll(() => fake.reports.length - before, { timeout: 2_000 }).toBe(4);
    await new Promise((r) => setTimeout(r, 100));
    const pushes = fake.reports.slice(before);
    expect(pushes.map((p) => [p.attempt, p.acknowledged])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, false],
    ]);
    expect(new Set(hits.map((h) => h.body)).size).toBe(1);

    hookReply = '{"code":0,"msg":"接收成功"}';
    const forged = await fake.pushReports([{ biz_id: 'forged^0', success: true }]);
    expect(forged).toMatchObject({ httpStatus: 200, acknowledged: true, attempt: 1 });
    expect(hits.at(-1)?.body).toBe('[{"biz_id":"forged^0","success":true}]');
  });
});
