import { describe, expect, it } from 'vitest';
import { TidingsError, type ErrorCode } from '../../core/errors.js';
import { fromTidingsError, GENERIC_TWILIO_CODE, TwilioApiError } from './twilio-errors.js';

const mapped = (code: ErrorCode, ctx = {}) => fromTidingsError(new TidingsError(code), ctx);

describe('our error codes as Twilio errors', () => {
  it.each([
    ['invalid_number', 21211, 400],
    ['not_mobile', 21614, 400],
    ['recipient_suppressed', 21610, 400],
    ['body_empty', 21602, 400],
    ['body_too_long', 21617, 400],
    ['unauthorized', 20003, 401],
    ['not_found', 20404, 404],
    ['rate_limited', 20429, 429],
    ['unavailable', 20503, 503],
    ['internal_error', 20500, 500],
  ] as const)('%s → %i (HTTP %i)', (ours, code, status) => {
    const err = mapped(ours);
    expect(err).toBeInstanceOf(TwilioApiError);
    expect({ code: err.code, status: err.status }).toEqual({ code, status });
    expect(err.body()).toEqual({
      code,
      message: err.message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    });
  });

  it('words messages as Twilio does, naming the number asked for', () => {
    expect(mapped('invalid_number', { to: '+1555' }).message).toBe(
      "The 'To' number +1555 is not a valid phone number.",
    );
    expect(mapped('recipient_suppressed').message).toBe('Attempt to send to unsubscribed recipient');
    expect(mapped('not_found', { path: '/2010-04-01/Accounts/AC1/Messages/SM1.json' }).message).toBe(
      'The requested resource /2010-04-01/Accounts/AC1/Messages/SM1.json was not found',
    );
  });

  it('gives the generic 20001 with our message to a code Twilio has no counterpart for; 422 reads as 400', () => {
    const err = fromTidingsError(new TidingsError('content_rejected', 'The message contains "casino".'));
    expect({ code: err.code, status: err.status, message: err.message }).toEqual({
      code: GENERIC_TWILIO_CODE,
      status: 400,
      message: 'The message contains "casino".',
    });
    expect(mapped('payload_too_large').status).toBe(413);
  });

  it('keeps when trying again can work, for Retry-After', () => {
    const err = fromTidingsError(new TidingsError('rate_limited', undefined, undefined, { retryAfterMs: 2_500 }));
    expect(err.retryAfterMs).toBe(2_500);
  });
});
