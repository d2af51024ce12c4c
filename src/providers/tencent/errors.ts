/**
 * @module providers/tencent/errors
 * Tencent's failures mapped once, here, onto `ProviderError` kinds (providers.md §4.2), so the
 * dispatcher decides from the kind and never from Tencent's text. Tencent answers HTTP 200 for
 * nearly everything: a whole-request `Response.Error.Code`, or a per-number `SendStatusSet[].Code`,
 * and both share one vocabulary, so one table serves both. The vendor error stays as `cause`.
 */
import { ProviderError, type ProviderErrorKind } from '../../core/provider-error.js';
import { untilBeijingHour } from '../beijing-time.js';
import { httpStatusError, type HttpHeaders } from '../http-status.js';
import { maskNumbers, snippet } from '../vendor-text.js';

/** Tencent's error as it came (`Code`, `Message`, `RequestId`), kept as the `cause`. */
export class TencentApiError extends Error {
  override readonly name = 'TencentApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

/** When a refusal lifts, given the time now; null when Tencent does not say. */
type RetryAfter = (now: number) => number | null;

interface Rule {
  kind: ProviderErrorKind;
  retryAfter?: RetryAfter;
}

const SECOND = 1000;
const HOUR = 3_600_000;

/** Tencent's daily limits count per natural day in Beijing time (自然日); they reset at 00:00 there. */
const untilBeijing =
  (hour: number): RetryAfter =>
  (now) =>
    untilBeijingHour(now, hour);
const after =
  (ms: number): RetryAfter =>
  () =>
    ms;

const CODES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  // Credentials and account: nothing changes until an operator acts.
  ['AuthFailure.SignatureFailure', { kind: 'auth' }],
  // Our clock is more than 5 minutes off Tencent's: an operator must fix the host's time.
  ['AuthFailure.SignatureExpire', { kind: 'auth' }],
  ['AuthFailure.SecretIdNotFound', { kind: 'auth' }],
  ['AuthFailure.InvalidSecretId', { kind: 'auth' }],
  ['AuthFailure.UnauthorizedOperation', { kind: 'auth' }],
  ['UnauthorizedOperation.SmsSdkAppIdVerifyFail', { kind: 'auth' }],
  ['UnauthorizedOperation.RequestIpNotInWhitelist', { kind: 'auth' }],
  ['UnauthorizedOperation.SerivceSuspendDueToArrears', { kind: 'auth' }], // sic, Tencent's spelling
  ['InvalidParameterValue.SdkAppIdNotExist', { kind: 'auth' }],
  // API-wide request rate: Tencent counts per second.
  ['RequestLimitExceeded', { kind: 'rate_limited', retryAfter: after(SECOND) }],
  // Per-number and per-application limits: wait for their window.
  ['LimitExceeded.PhoneNumberThirtySecondLimit', { kind: 'rate_limited', retryAfter: after(30 * SECOND) }],
  ['LimitExceeded.PhoneNumberOneHourLimit', { kind: 'rate_limited', retryAfter: after(HOUR) }],
  ['LimitExceeded.PhoneNumberDailyLimit', { kind: 'rate_limited', retryAfter: untilBeijing(0) }],
  ['LimitExceeded.PhoneNumberSameContentDailyLimit', { kind: 'rate_limited', retryAfter: untilBeijing(0) }],
  ['LimitExceeded.AppDailyLimit', { kind: 'rate_limited', retryAfter: untilBeijing(0) }],
  ['LimitExceeded.DailyLimit', { kind: 'rate_limited', retryAfter: untilBeijing(0) }],
  ['LimitExceeded.DeliveryFrequencyLimit', { kind: 'rate_limited' }],
  // Marketing texts may go out only 08:00–22:00 Beijing time.
  ['FailedOperation.MarketingSendTimeConstraint', { kind: 'rate_limited', retryAfter: untilBeijing(8) }],
  // Tencent's side: try again.
  ['InternalError', { kind: 'transient' }],
  ['InternalError.Timeout', { kind: 'transient' }],
  ['InternalError.OtherError', { kind: 'transient' }],
  // This provider cannot send at all for now; another one may.
  ['FailedOperation.InsufficientBalanceInSmsPackage', { kind: 'unavailable' }],
  ['UnsupportedRegion', { kind: 'unavailable' }],
  ['UnsupportedOperation.UnsupportedRegion', { kind: 'unavailable' }],
  ['InvalidAction', { kind: 'unavailable' }],
  ['NoSuchVersion', { kind: 'unavailable' }],
  // The number.
  ['InvalidParameterValue.IncorrectPhoneNumber', { kind: 'invalid_recipient' }],
  ['FailedOperation.PhoneNumberInBlacklist', { kind: 'opted_out' }], // unsubscribed, or the carrier's blacklist
  // The content, the sign or the template.
  ['FailedOperation.SignatureIncorrectOrUnapproved', { kind: 'rejected_content' }],
  ['FailedOperation.TemplateIncorrectOrUnapproved', { kind: 'rejected_content' }],
  ['FailedOperation.TemplateParamSetNotMatchApprovedTemplate', { kind: 'rejected_content' }],
  ['FailedOperation.ContainSensitiveWord', { kind: 'rejected_content' }],
  ['InvalidParameterValue.ContentLengthLimit', { kind: 'rejected_content' }],
  ['InvalidParameterValue.TemplateParameterFormatError', { kind: 'rejected_content' }],
  ['InvalidParameterValue.TemplateParameterLengthLimit', { kind: 'rejected_content' }],
  ['InvalidParameterValue.ProhibitedUseUrlInTemplateParameter', { kind: 'rejected_content' }],
  ['UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny', { kind: 'rejected_content' }],
  // Requests we should never build: a bug, not worth retrying.
  ['LimitExceeded.PhoneNumberCountLimit', { kind: 'permanent' }],
  ['MissingParameter.EmptyPhoneNumberSet', { kind: 'permanent' }],
  ['UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber', { kind: 'permanent' }],
  ['InvalidParameter', { kind: 'permanent' }],
  ['InvalidParameterValue', { kind: 'permanent' }],
  ['MissingParameter', { kind: 'permanent' }],
]);

/** Codes Tencent adds later fall back on their family, the part before the first dot. */
const FAMILIES: ReadonlyMap<string, ProviderErrorKind> = new Map<string, ProviderErrorKind>([
  ['AuthFailure', 'auth'],
  ['UnauthorizedOperation', 'auth'],
  ['LimitExceeded', 'rate_limited'],
  ['RequestLimitExceeded', 'rate_limited'],
  ['InternalError', 'transient'],
  ['ResourceUnavailable', 'unavailable'],
]);

export function kindOfCode(code: string): ProviderErrorKind {
  return CODES.get(code)?.kind ?? FAMILIES.get(code.split('.')[0] ?? '') ?? 'permanent';
}

/** A Tencent error code, from `Response.Error` or a `SendStatusSet` entry, as a `ProviderError`. */
export function tencentError(
  code: string,
  message: string,
  opts: { requestId: string | null; httpStatus?: number; now: number },
): ProviderError {
  const rule = CODES.get(code);
  const kind = rule?.kind ?? kindOfCode(code);
  const text = maskNumbers(message);
  return new ProviderError(kind, `Tencent ${code}: ${text}`, {
    providerCode: code,
    retryAfterMs: rule?.retryAfter?.(opts.now) ?? null,
    cause: new TencentApiError(code, text, opts.requestId, opts.httpStatus ?? 200),
  });
}

/** Tencent answers 200 by design; anything else came from a gateway or proxy in between. */
export function tencentHttpError(status: number, headers: HttpHeaders, body: string, now: number): ProviderError {
  const cause = new TencentApiError(`HTTP${status}`, snippet(body), null, status);
  return httpStatusError(status, headers, now, { who: 'Tencent', cause });
}

/**
 * A 200 whose body is not a SendSms answer. Retryable, like Twilio's: the text may or may not
 * have gone out, and for reminders and codes a duplicate is the lesser harm than a silent loss.
 */
export function tencentUnreadableSuccess(status: number, body: string): ProviderError {
  return new ProviderError('transient', `Tencent answered HTTP ${status} with a body that is not a SendSms response`, {
    cause: new TencentApiError('Unreadable', snippet(body), null, status),
  });
}
