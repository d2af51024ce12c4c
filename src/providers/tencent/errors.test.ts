import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/provider-error.js';
import { kindOfCode, TencentApiError, tencentError, tencentHttpError, tencentUnreadableSuccess } from './errors.js';

// 2026-03-10 15:30:00 in Beijing (07:30 UTC).
const NOW = Date.UTC(2026, 2, 10, 7, 30, 0);

describe('tencentError', () => {
  it.each([
    ['AuthFailure.SignatureFailure', 'auth'],
    ['AuthFailure.SignatureExpire', 'auth'],
    ['AuthFailure.SecretIdNotFound', 'auth'],
    ['AuthFailure.InvalidSecretId', 'auth'],
    ['AuthFailure.UnauthorizedOperation', 'auth'],
    ['AuthFailure.InvalidAuthorization', 'auth'],
    ['UnauthorizedOperation.SmsSdkAppIdVerifyFail', 'auth'],
    ['UnauthorizedOperation.RequestIpNotInWhitelist', 'auth'],
    ['UnauthorizedOperation.SerivceSuspendDueToArrears', 'auth'],
    ['InvalidParameterValue.SdkAppIdNotExist', 'auth'],
    ['RequestLimitExceeded', 'rate_limited'],
    ['LimitExceeded.PhoneNumberDailyLimit', 'rate_limited'],
    ['LimitExceeded.PhoneNumberOneHourLimit', 'rate_limited'],
    ['LimitExceeded.PhoneNumberThirtySecondLimit', 'rate_limited'],
    ['LimitExceeded.PhoneNumberSameContentDailyLimit', 'rate_limited'],
    ['LimitExceeded.DeliveryFrequencyLimit', 'rate_limited'],
    ['LimitExceeded.AppDailyLimit', 'rate_limited'],
    ['LimitExceeded.DailyLimit', 'rate_limited'],
    ['LimitExceeded.SomethingNew', 'rate_limited'],
    ['FailedOperation.MarketingSendTimeConstraint', 'rate_limited'],
    ['InternalError', 'transient'],
    ['InternalError.Timeout', 'transient'],
    ['InternalError.OtherError', 'transient'],
    ['InternalError.SomethingNew', 'transient'],
    ['FailedOperation.InsufficientBalanceInSmsPackage', 'unavailable'],
    ['UnsupportedRegion', 'unavailable'],
    ['UnsupportedOperation.UnsupportedRegion', 'unavailable'],
    ['InvalidAction', 'unavailable'],
    ['NoSuchVersion', 'unavailable'],
    ['InvalidParameterValue.IncorrectPhoneNumber', 'invalid_recipient'],
    ['FailedOperation.PhoneNumberInBlacklist', 'opted_out'],
    ['FailedOperation.SignatureIncorrectOrUnapproved', 'rejected_content'],
    ['FailedOperation.TemplateIncorrectOrUnapproved', 'rejected_content'],
    ['FailedOperation.TemplateParamSetNotMatchApprovedTemplate', 'rejected_content'],
    ['FailedOperation.ContainSensitiveWord', 'rejected_content'],
    ['InvalidParameterValue.ContentLengthLimit', 'rejected_content'],
    ['InvalidParameterValue.TemplateParameterFormatError', 'rejected_content'],
    ['InvalidParameterValue.TemplateParameterLengthLimit', 'rejected_content'],
    ['InvalidParameterValue.ProhibitedUseUrlInTemplateParameter', 'rejected_content'],
    ['UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny', 'rejected_content'],
    ['LimitExceeded.PhoneNumberCountLimit', 'permanent'],
    ['MissingParameter.EmptyPhoneNumberSet', 'permanent'],
    ['UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber', 'permanent'],
    ['InvalidParameter', 'permanent'],
    ['InvalidParameterValue', 'permanent'],
    ['MissingParameter', 'permanent'],
    ['FailedOperation.SomethingNew', 'permanent'],
  ])('%s → %s', (code, kind) => {
    const err = tencentError(code, 'text', { requestId: 'req-1', now: NOW });
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind, providerCode: code });
    expect(kindOfCode(code)).toBe(kind);
    expect(err.cause).toBeInstanceOf(TencentApiError);
    expect(err.cause).toMatchObject({ code, requestId: 'req-1', httpStatus: 200 });
  });

  it('says when a limit lifts: seconds, an hour, Beijing midnight, 08:00 Beijing', () => {
    const wait = (code: string, now = NOW) => tencentError(code, '', { requestId: null, now }).retryAfterMs;
    expect(wait('RequestLimitExceeded')).toBe(1000);
    expect(wait('LimitExceeded.PhoneNumberThirtySecondLimit')).toBe(30_000);
    expect(wait('LimitExceeded.PhoneNumberOneHourLimit')).toBe(3_600_000);
    // 15:30 Beijing → midnight is 8.5 h away.
    expect(wait('LimitExceeded.PhoneNumberDailyLimit')).toBe(8.5 * 3_600_000);
    // 15:30 Beijing → 08:00 tomorrow; at 06:00 Beijing (22:00 UTC the day before) → 2 h.
    expect(wait('FailedOperation.MarketingSendTimeConstraint')).toBe(16.5 * 3_600_000);
    expect(wait('FailedOperation.MarketingSendTimeConstraint', Date.UTC(2026, 2, 9, 22, 0))).toBe(2 * 3_600_000);
    expect(wait('LimitExceeded.DeliveryFrequencyLimit')).toBeNull();
    expect(wait('InternalError')).toBeNull();
  });

  it('masks numbers Tencent quotes back', () => {
    const err = tencentError('InvalidParameterValue.IncorrectPhoneNumber', 'phone +8613800138000 is wrong', {
      requestId: null,
      now: NOW,
    });
    expect(err.message).not.toContain('13800138000');
    expect((err.cause as Error).message).not.toContain('13800138000');
  });
});

describe('tencentHttpError and friends', () => {
  it.each([
    [429, 'rate_limited'],
    [401, 'auth'],
    [403, 'auth'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'unavailable'],
    [504, 'transient'],
    [404, 'permanent'],
  ])('HTTP %i → %s, the status as providerCode', (status, kind) => {
    expect(tencentHttpError(status, {}, '<html>busy</html>', NOW)).toMatchObject({
      kind,
      providerCode: String(status),
    });
  });

  it('reads Retry-After on 429 and 503', () => {
    expect(tencentHttpError(503, { 'retry-after': '5' }, '', NOW).retryAfterMs).toBe(5000);
  });

  it('classifies a 200 that is not a SendSms answer', () => {
    expect(tencentUnreadableSuccess(200, '{"Resp')).toMatchObject({ kind: 'transient' });
  });
});
