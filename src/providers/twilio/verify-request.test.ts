import { describe, expect, it } from 'vitest';
import { twilioSignature } from './signature.js';
import { formParams, verifyTwilioRequest } from './verify-request.js';

describe('Twilio request verification with hostile parameter names', () => {
  // Found by `npm run fuzz`: with a `{}` accumulator, `constructor` found Object's own member and
  // the request crashed (500) before its signature was checked.
  it('keeps constructor, __proto__ and toString as ordinary parameters', () => {
    const params = formParams('constructor=a&__proto__=b&toString=c&constructor=d&Body=hi');
    expect(Object.entries(params)).toEqual([
      ['constructor', ['a', 'd']],
      ['__proto__', 'b'],
      ['toString', 'c'],
      ['Body', 'hi'],
    ]);
  });

  it('verifies a signed request carrying them, and refuses it mis-signed', () => {
    const url = 'https://tidings.example.com/webhooks/twilio/status';
    const rawBody = 'constructor=1&__proto__=2&MessageSid=SM1';
    const signature = twilioSignature('token', url, formParams(rawBody));
    const req = { url, method: 'POST', rawBody, headers: { 'x-twilio-signature': signature } };
    expect(verifyTwilioRequest('token', req)).toBe(true);
    expect(verifyTwilioRequest('other', req)).toBe(false);
  });
});
