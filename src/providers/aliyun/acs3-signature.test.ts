import { describe, expect, it } from 'vitest';
import { acs3Sign, canonicalQuery, percentEncode, sha256Hex } from './acs3-signature.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// Worked example A2 (providers.md §3.4), from Alibaba Cloud's V3 signature documentation.
const A2 = {
  accessKeyId: 'YourAccessKeyId',
  accessKeySecret: 'YourAccessKeySecret',
  method: 'POST',
  path: '/',
  query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
  headers: {
    host: 'ecs.cn-shanghai.aliyuncs.com',
    'x-acs-action': 'RunInstances',
    'x-acs-version': '2014-05-26',
    'x-acs-date': '2023-10-26T10:22:32Z',
    'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
    'x-acs-content-sha256': EMPTY_SHA256,
  },
  hashedPayload: EMPTY_SHA256,
};

describe('acs3Sign', () => {
  it('reproduces worked example A2 step by step', () => {
    const s = acs3Sign(A2);
    expect(s.canonicalRequest).toBe(
      'POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n' +
        'host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n' +
        `x-acs-content-sha256:${EMPTY_SHA256}\nx-acs-date:2023-10-26T10:22:32Z\n` +
        'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n' +
        'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n' +
        EMPTY_SHA256,
    );
    expect(sha256Hex(s.canonicalRequest)).toBe('7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
    expect(s.signature).toBe('06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0');
    expect(s.authorization).toBe(
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,' +
        'SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,' +
        'Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    );
  });

  it('sorts and lowercases header names and trims values, whatever order they come in', () => {
    const shuffled = {
      'X-ACS-Version': ' 2014-05-26 ',
      Host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-content-sha256': EMPTY_SHA256,
      'x-acs-action': 'RunInstances',
    };
    expect(acs3Sign({ ...A2, headers: shuffled }).signature).toBe(acs3Sign(A2).signature);
  });

  it('depends on every signed input but not on the key id', () => {
    const base = acs3Sign(A2).signature;
    for (const change of [
      { accessKeySecret: 'other' },
      { method: 'GET' },
      { path: '/x' },
      { query: { ...A2.query, RegionId: 'cn-hangzhou' } },
      { headers: { ...A2.headers, host: 'ecs.aliyuncs.com' } },
      { headers: { ...A2.headers, 'x-acs-credentials-provider': 'static_ak' } },
      { hashedPayload: sha256Hex('x') },
    ]) {
      expect(acs3Sign({ ...A2, ...change }).signature).not.toBe(base);
    }
    expect(acs3Sign({ ...A2, accessKeyId: 'other' }).signature).toBe(base);
  });
});

describe('percentEncode and canonicalQuery', () => {
  it('encodes everything but unreserved characters, in UTF-8 with uppercase hex', () => {
    expect(percentEncode("a b*c~d!e'f(g)h+i/j")).toBe('a%20b%2Ac~d%21e%27f%28g%29h%2Bi%2Fj');
    expect(percentEncode('阿里云')).toBe('%E9%98%BF%E9%87%8C%E4%BA%91');
    expect(percentEncode('{"code":"1234"}')).toBe('%7B%22code%22%3A%221234%22%7D');
  });

  it('sorts keys by code point and keeps empty values', () => {
    expect(canonicalQuery({ b: '2', B: '1', a: '' })).toBe('B=1&a=&b=2');
  });
});
