import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/provider-error.js';
import { SnsApiError, snsResponseError, snsUnreadableSuccess, type SnsErrorFacts } from './errors.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

const facts = (code: string | null, httpStatus: number, over: Partial<SnsErrorFacts> = {}): SnsErrorFacts => ({
  httpStatus,
  code,
  type: httpStatus >= 500 ? 'Receiver' : 'Sender',
  message: `${code ?? 'Unknown'} happened`,
  requestId: 'req-1',
  retryAfter: null,
  clockSkewCorrected: false,
  ...over,
});

describe('snsResponseError: providers.md §5.2', () => {
  it.each([
    ['Throttling', 400, 'rate_limited'],
    ['ThrottlingException', 400, 'rate_limited'],
    ['Throttled', 429, 'rate_limited'],
    ['KMSThrottling', 400, 'rate_limited'],
    ['AuthorizationError', 403, 'auth'],
    ['InvalidClientTokenId', 403, 'auth'],
    ['SignatureDoesNotMatch', 403, 'auth'],
    ['IncompleteSignature', 400, 'auth'],
    ['MissingAuthenticationToken', 403, 'auth'],
    ['AccessDenied', 403, 'auth'],
    ['ExpiredToken', 403, 'auth'],
    ['InvalidSecurity', 403, 'auth'],
    ['OptInRequired', 403, 'auth'],
    ['RequestExpired', 400, 'auth'],
    ['InternalError', 500, 'transient'],
    ['InternalFailure', 500, 'transient'],
    ['ServiceUnavailable', 503, 'unavailable'],
    ['OptedOut', 400, 'opted_out'],
    ['EndpointDisabled', 400, 'permanent'],
    ['PlatformApplicationDisabled', 400, 'permanent'],
    ['KMSAccessDenied', 400, 'permanent'],
    ['KMSDisabled', 400, 'permanent'],
    ['KMSInvalidState', 400, 'permanent'],
    ['KMSNotFound', 400, 'permanent'],
    ['KMSOptInRequired', 403, 'permanent'],
    ['NotFound', 404, 'permanent'],
    ['InvalidAction', 400, 'permanent'],
    ['ValidationError', 400, 'permanent'],
    ['ValidationException', 400, 'permanent'],
    ['SomethingNew', 400, 'permanent'],
    ['SomethingNew', 403, 'auth'],
    ['SomethingNew', 429, 'rate_limited'],
    ['SomethingNew', 502, 'transient'],
    ['SomethingNew', 503, 'unavailable'],
    [null, 502, 'transient'],
    [null, 503, 'unavailable'],
    [null, 401, 'auth'],
    [null, 400, 'permanent'],
  ] as const)('%s (HTTP %i) → %s', (code, status, kind) => {
    const err = snsResponseError(facts(code, status), NOW);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe(kind);
    // Without SNS's body, the status is the code (../http-status.ts).
    expect(err.providerCode).toBe(code ?? String(status));
  });

  it.each([
    ['Invalid parameter: PhoneNumber Reason: +15555550100 is not valid to publish to', 'invalid_recipient'],
    ['Invalid parameter: PhoneNumber Reason: input incorrectly formatted', 'invalid_recipient'],
    ['Invalid parameter: Empty message', 'rejected_content'],
    ['Invalid parameter: Message too long', 'rejected_content'],
    ['Invalid parameter: MessageAttributes Reason: Invalid SenderID My Shop', 'permanent'],
    ['Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter', 'permanent'],
  ] as const)('InvalidParameter "%s" → %s', (message, kind) => {
    expect(snsResponseError(facts('InvalidParameter', 400, { message }), NOW).kind).toBe(kind);
  });

  it('ParameterValueInvalid about the phone number → invalid_recipient, otherwise permanent', () => {
    const about = (message: string) => snsResponseError(facts('ParameterValueInvalid', 400, { message }), NOW).kind;
    expect(about('Invalid value for PhoneNumber')).toBe('invalid_recipient');
    expect(about("The message attribute 'x' must contain non-empty message attribute type.")).toBe('permanent');
  });

  it('keeps the wire facts as an SnsApiError cause, with the number masked everywhere', () => {
    const err = snsResponseError(
      facts('InvalidParameter', 400, {
        message: 'Invalid parameter: PhoneNumber Reason: +15555550100 is not valid to publish to',
      }),
      NOW,
    );
    expect(err.cause).toBeInstanceOf(SnsApiError);
    expect(err.cause).toMatchObject({ httpStatus: 400, code: 'InvalidParameter', type: 'Sender', requestId: 'req-1' });
    expect(err.message).toContain('InvalidParameter');
    expect(err.message).not.toContain('+15555550100');
    expect((err.cause as Error).message).not.toContain('+15555550100');
    expect(err.retryable).toBe(false);
  });

  it('a signature error after the SDK corrected its clock is transient: the next attempt is signed right', () => {
    const skew = facts('SignatureDoesNotMatch', 403, { clockSkewCorrected: true });
    expect(snsResponseError(skew, NOW)).toMatchObject({ kind: 'transient', providerCode: 'SignatureDoesNotMatch' });
  });

  it('reads a Retry-After (from a proxy) only when rate limited', () => {
    expect(snsResponseError(facts('Throttled', 429, { retryAfter: '3' }), NOW).retryAfterMs).toBe(3000);
    const date = new Date(NOW + 7000).toUTCString();
    expect(snsResponseError(facts('Throttling', 400, { retryAfter: date }), NOW).retryAfterMs).toBe(7000);
    expect(snsResponseError(facts('Throttling', 400), NOW).retryAfterMs).toBeNull();
    expect(snsResponseError(facts('InternalError', 500, { retryAfter: '3' }), NOW).retryAfterMs).toBeNull();
  });

  it('says "answered HTTP n" when the body was not SNS XML', () => {
    expect(snsResponseError(facts(null, 502), NOW).message).toBe('SNS answered HTTP 502');
  });
});

describe('snsUnreadableSuccess', () => {
  it('an unreadable 2xx is transient, with no code', () => {
    expect(snsUnreadableSuccess(200, new Error('XML parse error'))).toMatchObject({
      kind: 'transient',
      providerCode: null,
    });
  });
});
