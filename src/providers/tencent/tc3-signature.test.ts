import { describe, expect, it } from 'vitest';
import { tc3Sign } from './tc3-signature.js';

// Worked example C1 (providers.md §4.3): Tencent's own documented request, reproduced exactly.
const C1 = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
  host: 'cvm.tencentcloudapi.com',
  contentType: 'application/json; charset=utf-8',
  timestamp: 1551113065,
  payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
};

describe('tc3Sign', () => {
  it('reproduces worked example C1 step by step', () => {
    const s = tc3Sign(C1);
    expect(s.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n' +
        '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(s.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n' +
        '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(s.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(s.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('takes the service from the host and the date in UTC, and depends on every input', () => {
    const sms = tc3Sign({ ...C1, host: 'sms.tencentcloudapi.com' });
    expect(sms.credentialScope).toBe('2019-02-25/sms/tc3_request');
    // 23:59:59 UTC on 2019-02-25 is already the 26th in Beijing; the scope stays on the 25th.
    expect(tc3Sign({ ...C1, timestamp: 1551139199 }).credentialScope).toBe('2019-02-25/cvm/tc3_request');
    expect(tc3Sign({ ...C1, timestamp: 1551139200 }).credentialScope).toBe('2019-02-26/cvm/tc3_request');
    const base = tc3Sign(C1).signature;
    for (const change of [
      { secretKey: 'other' },
      { payload: `${C1.payload} ` },
      { timestamp: C1.timestamp + 1 },
      { contentType: 'application/json' },
      { service: 'sms' },
    ]) {
      expect(tc3Sign({ ...C1, ...change }).signature).not.toBe(base);
    }
    expect(tc3Sign({ ...C1, secretId: 'AKIDother' }).signature).toBe(base);
  });
});
