import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/provider-error.js';
import { describeDeliveryError, TwilioApiError, twilioResponseError } from './errors.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const body = (code: number, status: number, message = 'm') =>
  JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

describe('twilioResponseError: providers.md §1.2', () => {
  it.each([
    [401, 20003, 'auth'],
    [429, 20429, 'rate_limited'],
    [500, 20500, 'transient'],
    [502, null, 'transient'],
    [503, 20503, 'unavailable'],
    [400, 21211, 'invalid_recipient'],
    [400, 21614, 'invalid_recipient'],
    [400, 21612, 'invalid_recipient'],
    [400, 21635, 'invalid_recipient'],
    [400, 21610, 'opted_out'],
    [400, 21408, 'permanent'],
    [400, 21606, 'permanent'],
    [400, 21608, 'permanent'],
    [400, 21212, 'permanent'],
    [400, 21611, 'rate_limited'],
    [400, 21617, 'rejected_content'],
    [400, 21604, 'permanent'],
    [404, 20404, 'permanent'],
    [403, null, 'auth'],
    [429, null, 'rate_limited'],
  ] as const)('HTTP %i code %s → %s', (status, code, kind) => {
    const err = twilioResponseError(status, {}, code === null ? '' : body(code, status), NOW);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe(kind);
    // Without Twilio's body, the status is the code (../http-status.ts).
    expect(err.providerCode).toBe(String(code ?? status));
  });

  it('keeps the vendor error as cause, with code, status and docs link', () => {
    const err = twilioResponseError(
      400,
      {},
      body(21211, 400, "The 'To' number +15005550001 is not a valid phone number."),
      NOW,
    );
    expect(err.cause).toBeInstanceOf(TwilioApiError);
    const cause = err.cause as TwilioApiError;
    expect(cause).toMatchObject({ status: 400, code: 21211, moreInfo: 'https://www.twilio.com/docs/errors/21211' });
    expect(err.retryable).toBe(false);
  });

  it('masks phone numbers Twilio quotes back in its message', () => {
    const err = twilioResponseError(
      400,
      {},
      body(21211, 400, "The 'To' number +15005550001 is not a valid phone number."),
      NOW,
    );
    expect(err.message).not.toContain('+15005550001');
    expect((err.cause as Error).message).not.toContain('+15005550001');
    expect(err.message).toContain('21211');
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(twilioResponseError(429, { 'retry-after': '3' }, body(20429, 429), NOW).retryAfterMs).toBe(3000);
    const date = new Date(NOW + 7000).toUTCString();
    expect(twilioResponseError(429, { 'retry-after': date }, body(20429, 429), NOW).retryAfterMs).toBe(7000);
    expect(twilioResponseError(429, {}, body(20429, 429), NOW).retryAfterMs).toBeNull();
    expect(twilioResponseError(500, { 'retry-after': '3' }, '', NOW).retryAfterMs).toBeNull();
  });

  it('classifies by HTTP status when the body is not Twilio JSON', () => {
    const html = '<html><body>502 Bad Gateway</body></html>';
    const bad = twilioResponseError(502, {}, html, NOW);
    expect(bad.kind).toBe('transient');
    expect(bad.providerCode).toBe('502');
    expect(bad.cause).toBeInstanceOf(TwilioApiError);
    expect(twilioResponseError(400, {}, '{"code":', NOW).kind).toBe('permanent');
    expect(twilioResponseError(401, {}, 'nope', NOW).kind).toBe('auth');
    expect(twilioResponseError(400, {}, 'null', NOW).kind).toBe('permanent');
    expect(twilioResponseError(400, {}, JSON.stringify({ code: '21610', message: 'x' }), NOW).kind).toBe('opted_out');
  });
});

describe('describeDeliveryError (status callbacks)', () => {
  it('describes 300xx codes, and nothing else', () => {
    expect(describeDeliveryError('30003')).toMatchObject({ kind: 'transient', retryable: true });
    expect(describeDeliveryError(30005)).toMatchObject({ kind: 'invalid_recipient', retryable: false });
    expect(describeDeliveryError('30007')).toMatchObject({ kind: 'rejected_content', retryable: false });
    expect(describeDeliveryError('99999')).toBeNull();
    expect(describeDeliveryError(null)).toBeNull();
    expect(describeDeliveryError('')).toBeNull();
  });
});
