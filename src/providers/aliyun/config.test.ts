import { describe, expect, it } from 'vitest';
import { describeAliyunConfig, parseAliyunUrl } from './config.js';

const ID = 'LTAI5tExampleKeyId0001';
const SECRET = 'Ex4mpleS3cretValue0123456789ab';
const SIGN = encodeURIComponent('阿里云');

describe('parseAliyunUrl', () => {
  it('reads credentials, the sign name, and every option', () => {
    const c = parseAliyunUrl(
      `aliyun://${ID}:${SECRET}@${SIGN}?templates=booking_reminder:SMS_123,otp:SMS_456` +
        '&endpoint=http://127.0.0.1:4011&region=cn-shanghai&name=primary&callbackToken=0123456789abcdef' +
        '&timeoutMs=2500&connections=8&mps=50',
    );
    expect(c).toMatchObject({
      name: 'primary',
      accessKeyId: ID,
      accessKeySecret: SECRET,
      signName: '阿里云',
      region: 'cn-shanghai',
      endpoint: 'http://127.0.0.1:4011',
      callbackToken: '0123456789abcdef',
      timeoutMs: 2500,
      connections: 8,
      maxPerSecond: 50,
    });
    expect([...c.templates]).toEqual([
      ['booking_reminder', 'SMS_123'],
      ['otp', 'SMS_456'],
    ]);
  });

  it('has defaults, decodes the secret, accepts a URL object, and picks the endpoint by region', () => {
    const c = parseAliyunUrl(new URL(`aliyun://${ID}:a%2Fb%40c@Tidings`));
    expect(c).toMatchObject({
      name: 'default',
      accessKeySecret: 'a/b@c',
      signName: 'Tidings',
      region: 'cn-hangzhou',
      endpoint: 'https://dysmsapi.aliyuncs.com',
      callbackToken: null,
      timeoutMs: 10_000,
      connections: 64,
      maxPerSecond: null,
    });
    expect(c.templates.size).toBe(0);
    expect(parseAliyunUrl(`aliyun://${ID}:${SECRET}@S?region=ap-southeast-1`).endpoint).toBe(
      'https://dysmsapi.ap-southeast-1.aliyuncs.com',
    );
    expect(parseAliyunUrl(`aliyun://${ID}:${SECRET}@S?region=cn-shenzhen`).endpoint).toBe(
      'https://dysmsapi.aliyuncs.com',
    );
  });

  it.each([
    [`aliyun://${ID}@S`, /secret is missing/],
    [`aliyun://:${SECRET}@S`, /AccessKey ID is missing/],
    [`aliyun://${ID}:${SECRET}@S?region=Hangzhou`, /region/],
    [`aliyun://${ID}:${SECRET}@S?callbackToken=short`, /at least 16/],
    [`aliyun://${ID}:${SECRET}@S?endpoint=http://h:1/x`, /origin only/],
    [`aliyun://${ID}:${SECRET}@S?endpoint=ftp://h`, /http\(s\)/],
    [`aliyun://${ID}:${SECRET}@S?endpoint=nope`, /not a valid URL/],
    [`aliyun://${ID}:${SECRET}@S?templates=otp`, /name:SMS_123/],
    [`aliyun://${ID}:${SECRET}@S?templates=otp:1110456`, /name:SMS_123/],
    [`aliyun://${ID}:${SECRET}@S?templates=otp:SMS_1,otp:SMS_2`, /mapped twice/],
    [`aliyun://${ID}:${SECRET}@S?timeoutMs=0`, /positive integer/],
    [`aliyun://${ID}:${SECRET}@S?name=a%20b`, /name/],
    [`aliyun://${ID}:${SECRET}@S?signName=x`, /unknown option "signName"/],
    [`tencent://${ID}:${SECRET}@S`, /aliyun:\/\//],
  ])('rejects %s', (url, message) => {
    expect(() => parseAliyunUrl(url)).toThrow(message);
  });

  it('never echoes the secret in an error', () => {
    for (const url of [`not a url ${SECRET}`, `aliyun://${ID}:${SECRET}@S?bad=1`, `aliyun://${ID}:${SECRET}@S?mps=x`]) {
      let text = '';
      try {
        parseAliyunUrl(url);
      } catch (err) {
        text = (err as Error).message;
      }
      expect(text).not.toBe('');
      expect(text).not.toContain(SECRET);
    }
  });
});

describe('describeAliyunConfig', () => {
  it('prints the URL with the secret and callback token masked, in a shape that parses back', () => {
    const url =
      `aliyun://${ID}:${SECRET}@${SIGN}?templates=otp:SMS_456,booking_reminder:SMS_123` +
      '&callbackToken=0123456789abcdef&endpoint=http://127.0.0.1:4011&mps=20';
    const text = describeAliyunConfig(parseAliyunUrl(url));
    expect(text).toBe(
      `aliyun://${ID}:Ex4m****@阿里云?templates=otp:SMS_456,booking_reminder:SMS_123&region=cn-hangzhou` +
        '&endpoint=http://127.0.0.1:4011&callbackToken=0123****&name=default&timeoutMs=10000&mps=20',
    );
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('0123456789abcdef');
    const unmasked = text.replace('Ex4m****', SECRET).replace('0123****', '0123456789abcdef').replace('阿里云', SIGN);
    expect(parseAliyunUrl(unmasked)).toEqual(parseAliyunUrl(url));
  });
});
