import { describe, expect, it } from 'vitest';
import { networkErrorCode, transportError } from './transport-error.js';

const withCode = (code: string, cause?: unknown) => Object.assign(new Error(code, { cause }), { code });

describe('transportError', () => {
  it('our timeout → transient, saying the budget; an abort → transient', () => {
    expect(transportError('timeout', new Error('t'), 'Twilio', 250)).toMatchObject({
      kind: 'transient',
      message: 'Twilio did not answer within 250 ms',
      providerCode: null,
    });
    expect(transportError('aborted', new Error('a'), 'SNS')).toMatchObject({
      kind: 'transient',
      message: 'The SNS request was aborted',
    });
  });

  it.each([
    ['ECONNREFUSED', 'unavailable'],
    ['ENOTFOUND', 'unavailable'],
    ['EAI_AGAIN', 'unavailable'],
    ['EHOSTUNREACH', 'unavailable'],
    ['ENETUNREACH', 'unavailable'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'unavailable'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'unavailable'],
    ['ECONNRESET', 'transient'],
    ['EPIPE', 'transient'],
    ['UND_ERR_SOCKET', 'transient'],
    ['UND_ERR_CONNECT_TIMEOUT', 'transient'],
  ])('a network failure %s → %s, with the code as providerCode', (code, kind) => {
    const cause = withCode(code);
    expect(transportError('network', cause, 'Aliyun')).toMatchObject({
      kind,
      providerCode: code,
      message: `Aliyun request failed: ${code}`,
      cause,
    });
  });

  it('names a push service by its origin, capitalized at the start of the message', () => {
    const err = transportError('network', withCode('ECONNREFUSED'), 'push service https://fcm.googleapis.com');
    expect(err.message).toBe('Push service https://fcm.googleapis.com request failed: ECONNREFUSED');
  });

  it('a failure without a code → transient, its message said, no providerCode', () => {
    expect(transportError('network', new Error('weird'), 'Tencent')).toMatchObject({
      kind: 'transient',
      providerCode: null,
      message: 'Tencent request failed: weird',
    });
  });
});

describe('networkErrorCode', () => {
  it("looks under undici's wrapper for the socket's errno", () => {
    expect(networkErrorCode(withCode('UND_ERR_SOCKET', withCode('ECONNRESET')))).toBe('ECONNRESET');
    expect(networkErrorCode(new Error('fetch failed', { cause: withCode('ENOTFOUND') }))).toBe('ENOTFOUND');
  });

  it('keeps the wrapper when nothing under it says more, and null when nothing has a code', () => {
    expect(networkErrorCode(withCode('UND_ERR_SOCKET', new Error('other side closed')))).toBe('UND_ERR_SOCKET');
    expect(networkErrorCode(new Error('x'))).toBeNull();
    expect(networkErrorCode('x')).toBeNull();
  });
});
