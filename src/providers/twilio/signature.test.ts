import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { describe, expect, it } from 'vitest';
import { bodySha256, twilioSignature, verifyTwilioSignature, verifyTwilioSignatureWithBody } from './signature.js';

// Worked examples T1–T12 of providers.md §0, from Twilio's own SDK test suites (token 12345).
const TOKEN = '12345';
const URL_T1 = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS_T1 = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const JSON_BODY = '{"property": "value", "boolean": true}';
const JSON_HASH = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';
const EMPTY_HASH = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

describe('twilioSignature (T1–T8, T10–T12)', () => {
  it.each([
    ['T1', URL_T1, PARAMS_T1, 'RSOYDt4T1cUTdK1PDd93/VVr8B8='],
    ['T2', 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS_T1, 'kvajT1Ptam85bY51eRf/AJRuM3w='],
    ['T3', 'http://mycompany.com:1234/myapp.php?foo=1&bar=2', PARAMS_T1, 'Zmvh+3yNM1Phv2jhDCwEM3q5ebU='],
    ['T4', 'http://mycompany.com:80/myapp.php?foo=1&bar=2', PARAMS_T1, '0ZXoZLH/DfblKGATFgpif+LLRf4='],
    ['T5', 'https://user:pass@mycompany.com/myapp.php?foo=1&bar=2', PARAMS_T1, 'CukzLTc1tT5dXEDIHm/tKBanW10='],
    ['T5 :443', 'https://user:pass@mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS_T1, 'ZQFR1PTIZXF2MXB8ZnKCvnnA+rI='],
    ['T6', `${URL_T1}&Body=It's+amazing`, PARAMS_T1, 'dsq4Ehbj6cs+KdTkpF5sSSplOWw='],
    ['T7', URL_T1, { 'MessagingBinding.Address': ['+1325xxxxxxx', '+1415xxxxxxx'] }, '83O6e2vORAoJHUNzJjDWN1jz+BA='],
    [
      'T7 other order',
      URL_T1,
      { 'MessagingBinding.Address': ['+1415xxxxxxx', '+1325xxxxxxx'] },
      '83O6e2vORAoJHUNzJjDWN1jz+BA=',
    ],
    [
      'T8',
      URL_T1,
      { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234', '1234'] },
      'IK+Dwps556ElfBT0I3Rgjkr1wJU=',
    ],
    ['T10', `${URL_T1}&bodySHA256=${JSON_HASH}`, {}, 'a9nBmqA0ju/hNViExpshrM61xv4='],
    [
      'T11 :443',
      `https://mycompany.com:443/myapp.php?foo=1&bar=2&bodySHA256=${EMPTY_HASH}`,
      {},
      'Ldidvp12m26NI7eqEvxnEpkd9Hc=',
    ],
    ['T11', `${URL_T1}&bodySHA256=${EMPTY_HASH}`, {}, 'rw/jVviOgicj2+kHZULvebnA4ag='],
    ['T12', `https://mycompany.com/myapp.php?bodySHA256=${JSON_HASH}`, {}, 'y77kIzt2vzLz71DgmJGsen2scGs='],
  ])('%s', (_name, url, params, expected) => {
    expect(twilioSignature(TOKEN, url, params)).toBe(expected);
    expect(verifyTwilioSignature(TOKEN, expected, url, params)).toBe(true);
  });

  it('T8: the string signed is the URL then sorted names, repeated values sorted and de-duplicated', () => {
    // Same HMAC over the documented string, computed the long way round.
    const viaString = twilioSignature(TOKEN, `${URL_T1}Digits1234Digits5678SidCA123SidAccountAC123`, {});
    expect(viaString).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
  });
});

describe('bodySha256 (T9, T11)', () => {
  it('hashes the raw body', () => {
    expect(bodySha256(JSON_BODY)).toBe(JSON_HASH);
    expect(bodySha256('{}')).toBe(EMPTY_HASH);
  });
});

describe('verifyTwilioSignature', () => {
  it('accepts the URL with and without the default port (T1 ↔ T2, T4)', () => {
    expect(
      verifyTwilioSignature(
        TOKEN,
        'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
        'https://mycompany.com:443/myapp.php?foo=1&bar=2',
        PARAMS_T1,
      ),
    ).toBe(true);
    expect(verifyTwilioSignature(TOKEN, 'kvajT1Ptam85bY51eRf/AJRuM3w=', URL_T1, PARAMS_T1)).toBe(true);
    expect(
      verifyTwilioSignature(
        TOKEN,
        '0ZXoZLH/DfblKGATFgpif+LLRf4=',
        'http://mycompany.com/myapp.php?foo=1&bar=2',
        PARAMS_T1,
      ),
    ).toBe(true);
  });

  it('accepts the T5 :443 signature for the URL with userinfo and no port', () => {
    expect(
      verifyTwilioSignature(
        TOKEN,
        'ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=',
        'https://user:pass@mycompany.com/myapp.php?foo=1&bar=2',
        PARAMS_T1,
      ),
    ).toBe(true);
  });

  it("accepts T6's URL when the sender signed the query percent-encoded (normalized fallbacks)", () => {
    const signedEscaped = twilioSignature(TOKEN, `${URL_T1}&Body=It%27s+amazing`, PARAMS_T1);
    expect(verifyTwilioSignature(TOKEN, signedEscaped, `${URL_T1}&Body=It's+amazing`, PARAMS_T1)).toBe(true);
  });

  it('rejects a wrong token, a changed param, a changed URL, a missing or garbage header', () => {
    const sig = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
    expect(verifyTwilioSignature('54321', sig, URL_T1, PARAMS_T1)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, sig, URL_T1, { ...PARAMS_T1, Digits: '1235' })).toBe(false);
    expect(verifyTwilioSignature(TOKEN, sig, `${URL_T1}&x=1`, PARAMS_T1)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, sig, 'http://mycompany.com/myapp.php?foo=1&bar=2', PARAMS_T1)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, undefined, URL_T1, PARAMS_T1)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, '', URL_T1, PARAMS_T1)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, 'short', URL_T1, PARAMS_T1)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, sig, 'not a url', PARAMS_T1)).toBe(false);
  });
});

describe('verifyTwilioSignatureWithBody (T9–T12)', () => {
  it('checks the signature over the URL and the body against bodySHA256 (T10, T11)', () => {
    expect(
      verifyTwilioSignatureWithBody(
        TOKEN,
        'a9nBmqA0ju/hNViExpshrM61xv4=',
        `${URL_T1}&bodySHA256=${JSON_HASH}`,
        JSON_BODY,
      ),
    ).toBe(true);
    expect(
      verifyTwilioSignatureWithBody(TOKEN, 'Ldidvp12m26NI7eqEvxnEpkd9Hc=', `${URL_T1}&bodySHA256=${EMPTY_HASH}`, '{}'),
    ).toBe(true);
    expect(
      verifyTwilioSignatureWithBody(
        TOKEN,
        'y77kIzt2vzLz71DgmJGsen2scGs=',
        `https://mycompany.com/myapp.php?bodySHA256=${JSON_HASH}`,
        JSON_BODY,
      ),
    ).toBe(true);
  });

  it('rejects a body that does not match its hash, or a URL without one', () => {
    expect(
      verifyTwilioSignatureWithBody(
        TOKEN,
        'a9nBmqA0ju/hNViExpshrM61xv4=',
        `${URL_T1}&bodySHA256=${JSON_HASH}`,
        '{"property": "other"}',
      ),
    ).toBe(false);
    expect(verifyTwilioSignatureWithBody(TOKEN, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', URL_T1, JSON_BODY)).toBe(false);
  });
});

describe('agreement with the official twilio-node implementation', () => {
  const urls = [
    URL_T1,
    'https://mycompany.com:443/myapp.php?foo=1&bar=2',
    'http://127.0.0.1:3000/webhooks/twilio/status',
    'http://[::1]:3000/webhooks/twilio/status?x=1',
    `${URL_T1}&Body=It's+amazing`,
    `${URL_T1}&Body=It%27s%20amazing`,
    'https://user:pass@mycompany.com/p?q=%E2%82%AC',
  ];
  const paramSets: Record<string, string>[] = [PARAMS_T1, { Body: 'héllo wörld 你好 😀', To: '+15005550006' }, {}];

  it('computes the same signatures and accepts the same URL variants', () => {
    for (const url of urls) {
      for (const params of paramSets) {
        const official = getExpectedTwilioSignature(TOKEN, url, params);
        expect(twilioSignature(TOKEN, url, params)).toBe(official);
        for (const received of urls) {
          expect(verifyTwilioSignature(TOKEN, official, received, params)).toBe(
            validateRequest(TOKEN, official, received, params),
          );
        }
      }
    }
  });
});
