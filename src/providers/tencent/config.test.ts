import { describe, expect, it } from 'vitest';
import { describeTencentConfig, parseTencentUrl } from './config.js';

const ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
const KEY = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';
const SIGN = encodeURIComponent('腾讯云');

describe('parseTencentUrl', () => {
  it('reads credentials, the sign name, and every option', () => {
    const c = parseTencentUrl(
      `tencent://${ID}:${KEY}@${SIGN}?sdkAppId=1400006666&region=ap-beijing` +
        '&templates=booking_reminder:1110123(name|time),otp:1110456(code|minutes)&senderId=Tidings' +
        '&callbackToken=0123456789abcdef&endpoint=http://127.0.0.1:4011&name=primary&timeoutMs=2500&connections=8&mps=50',
    );
    expect(c).toMatchObject({
      name: 'primary',
      secretId: ID,
      secretKey: KEY,
      signName: '腾讯云',
      sdkAppId: '1400006666',
      region: 'ap-beijing',
      senderId: 'Tidings',
      callbackToken: '0123456789abcdef',
      endpoint: 'http://127.0.0.1:4011',
      host: 'sms.tencentcloudapi.com',
      timeoutMs: 2500,
      connections: 8,
      maxPerSecond: 50,
    });
    expect(c.templates.get('booking_reminder')).toEqual({ templateId: '1110123', params: ['name', 'time'] });
  });

  it('has defaults, decodes the secret, and accepts a URL object', () => {
    const c = parseTencentUrl(new URL(`tencent://${ID}:a%2Fb%40c@Tidings?sdkAppId=1400006666`));
    expect(c).toMatchObject({
      name: 'default',
      secretKey: 'a/b@c',
      signName: 'Tidings',
      region: 'ap-guangzhou',
      endpoint: 'https://sms.tencentcloudapi.com',
      host: 'sms.tencentcloudapi.com',
      senderId: null,
      callbackToken: null,
      timeoutMs: 10_000,
      maxPerSecond: null,
    });
    expect(c.templates.size).toBe(0);
    expect(
      parseTencentUrl(`tencent://${ID}:${KEY}@S?sdkAppId=1400006666&host=sms.ap-guangzhou.tencentcloudapi.com`),
    ).toMatchObject({ endpoint: 'https://sms.ap-guangzhou.tencentcloudapi.com' });
  });

  it.each([
    [`tencent://${ID}@S?sdkAppId=1400006666`, /SecretKey is missing/],
    [`tencent://${ID}:${KEY}@S`, /sdkAppId is required/],
    [`tencent://${ID}:${KEY}@S?sdkAppId=app`, /sdkAppId is required/],
    [`tencent://${ID}:${KEY}@S?sdkAppId=1400006666&region=Guangzhou`, /region/],
    [`tencent://${ID}:${KEY}@S?sdkAppId=1400006666&callbackToken=short`, /at least 16/],
    [`tencent://${ID}:${KEY}@S?sdkAppId=1400006666&endpoint=http://h:1/x`, /origin only/],
    [`tencent://${ID}:${KEY}@S?sdkAppId=1400006666&endpoint=ftp://h`, /http\(s\)/],
    [`tencent://${ID}:${KEY}@S?sdkAppId=1400006666&host=a_b`, /not a host name/],
    [`tencent://${ID}:${KEY}@S?sdkAppId=1400006666&templates=otp`, /name:1110123/],
    [`tencent://${ID}:${KEY}@S?sdkAppId=1400006666&timeoutMs=0`, /positive integer/],
    [`tencent://${ID}:${KEY}@S?sdkAppId=1400006666&name=a%20b`, /name/],
    [`tencent://${ID}:${KEY}@S?sdkAppId=1400006666&signName=x`, /unknown option "signName"/],
    [`aliyun://${ID}:${KEY}@S?sdkAppId=1400006666`, /tencent:\/\//],
  ])('rejects %s', (url, message) => {
    expect(() => parseTencentUrl(url)).toThrow(message);
  });

  it('never echoes the SecretKey in an error', () => {
    for (const url of [`not a url ${KEY}`, `tencent://${ID}:${KEY}@S`, `tencent://${ID}:${KEY}@S?bad=1`]) {
      let text = '';
      try {
        parseTencentUrl(url);
      } catch (err) {
        text = (err as Error).message;
      }
      expect(text).not.toBe('');
      expect(text).not.toContain(KEY);
    }
  });
});

describe('describeTencentConfig', () => {
  it('prints the URL with the SecretKey and callback token masked, and parses back', () => {
    const url =
      `tencent://${ID}:${KEY}@${SIGN}?sdkAppId=1400006666&templates=otp:1110456(code|minutes)` +
      '&callbackToken=0123456789abcdef&endpoint=http://127.0.0.1:4011';
    const text = describeTencentConfig(parseTencentUrl(url));
    expect(text).toBe(
      `tencent://${ID}:Gu5t****@腾讯云?sdkAppId=1400006666&region=ap-guangzhou&templates=otp:1110456(code|minutes)` +
        '&callbackToken=0123****&endpoint=http://127.0.0.1:4011&name=default&timeoutMs=10000',
    );
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('0123456789abcdef');
  });
});
