import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../ports/provider.js';
import { callbackTokenCheck } from './callback-token.js';

const TOKEN = 'cb-0123456789abcdef';
const verify = callbackTokenCheck(TOKEN);
const req = (url: string, method = 'POST'): RawRequest => ({ url, method, headers: {}, rawBody: '[]' });

describe('callbackTokenCheck', () => {
  it('accepts the token wherever it sits in the query, before a fragment', () => {
    expect(verify(req(`https://h/webhooks/x/status?token=${TOKEN}`))).toBe(true);
    expect(verify(req(`https://h/webhooks/x/status?a=1&token=${TOKEN}#frag`))).toBe(true);
    expect(verify(req(`/webhooks/x/status?token=${encodeURIComponent(TOKEN)}`, 'post'))).toBe(true);
  });

  it('refuses a missing, empty, wrong, longer or shorter token, another parameter name, and non-POST', () => {
    for (const url of [
      'https://h/s',
      'https://h/s?token=',
      'https://h/s?token=cb-0123456789abcdeX',
      `https://h/s?token=${TOKEN}0`,
      `https://h/s?token=${TOKEN.slice(0, -1)}`,
      `https://h/s?callbackToken=${TOKEN}`,
      `https://h/s#token=${TOKEN}`,
    ]) {
      expect(verify(req(url))).toBe(false);
    }
    expect(verify(req(`https://h/s?token=${TOKEN}`, 'GET'))).toBe(false);
    expect(callbackTokenCheck('another-token-000000')(req(`https://h/s?token=${TOKEN}`))).toBe(false);
  });
});
