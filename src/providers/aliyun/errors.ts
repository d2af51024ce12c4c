/**
 * @module providers/aliyun/errors
 * Aliyun's failures mapped once, here, onto `ProviderError` kinds (providers.md §3.2), so the
 * dispatcher decides from the kind and never from Aliyun's text. Two vocabularies share one table:
 * the SMS service's business codes (`isv.*`, `isp.*`), which come back as HTTP 200, and the API
 * gateway's codes (`SignatureDoesNotMatch`, `Throttling.User`, …), which come with a 4xx/5xx. The
 * vendor error stays attached as `cause`, with its code, request id and HTTP status.
 */
import { ProviderError, type ProviderErrorKind } from '../../core/provider-error.js';
import { untilBeijingHour } from '../beijing-time.js';
import { httpStatusError, kindOfHttpStatus, type HttpHeaders } from '../http-status.js';
import { maskNumbers, snippet } from '../vendor-text.js';

/** Aliyun's error as it came (`Code`, `Message`, `RequestId`, `Recommend`), kept as the `cause`. */
export class AliyunApiError extends Error {
  override readonly name = 'AliyunApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly httpStatus: number,
    readonly recommend: string | null = null,
  ) {
    super(message);
  }
}

/** When a refusal lifts, from the time now and Aliyun's message; null when Aliyun does not say. */
type RetryAfter = (now: number, message: string) => number | null;

interface Rule {
  kind: ProviderErrorKind;
  retryAfter?: RetryAfter;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Aliyun's daily limits count per calendar day in Beijing time; they reset at 00:00 there. */
const untilBeijingMidnight = (now: number): number => untilBeijingHour(now, 0);

/**
 * Per-number flow control names its window in the message: `触发分钟级流控Permits:1` (minute),
 * `触发小时级流控Permits:5` (hour), `触发天级流控Permits:10` (day).
 */
const flowControlWindow: RetryAfter = (now, message) => {
  if (message.includes('分钟级')) return MINUTE;
  if (message.includes('小时级')) return HOUR;
  if (message.includes('天级') || message.includes('日级')) return untilBeijingMidnight(now);
  return null;
};

const CODES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  // Credentials, permissions and the account: nothing changes until an operator acts.
  ['SignatureDoesNotMatch', { kind: 'auth' }],
  ['IncompleteSignature', { kind: 'auth' }],
  ['InvalidAccessKeyId.NotFound', { kind: 'auth' }],
  ['InvalidAccessKeyId.Inactive', { kind: 'auth' }],
  ['Forbidden.RAM', { kind: 'auth' }],
  ['isp.RAM_PERMISSION_DENY', { kind: 'auth' }],
  ['isv.PRODUCT_UN_SUBSCRIPT', { kind: 'auth' }],
  ['isv.ACCOUNT_NOT_EXISTS', { kind: 'auth' }],
  ['isv.ACCOUNT_ABNORMAL', { kind: 'auth' }],
  ['isv.DENY_IP_RANGE', { kind: 'auth' }], // our source IP's region is blocked for the account
  // Our clock is more than 15 minutes off Aliyun's: an operator must fix the host's time.
  ['InvalidTimeStamp.Expired', { kind: 'auth' }],
  // A fresh nonce (every request has one) is all it takes.
  ['SignatureNonceUsed', { kind: 'transient' }],
  // Flow control. Per number and signature (1/min, 5/h, 10/day by default for codes); API-wide.
  ['isv.BUSINESS_LIMIT_CONTROL', { kind: 'rate_limited', retryAfter: flowControlWindow }],
  ['isv.DAY_LIMIT_CONTROL', { kind: 'rate_limited', retryAfter: untilBeijingMidnight }],
  ['Throttling', { kind: 'rate_limited' }],
  ['Throttling.User', { kind: 'rate_limited' }],
  ['Throttling.Api', { kind: 'rate_limited' }],
  // Aliyun's side: try again.
  ['isp.SYSTEM_ERROR', { kind: 'transient' }],
  ['isv.SYSTEM_ERROR', { kind: 'transient' }],
  ['InternalError', { kind: 'transient' }],
  ['ServiceUnavailable', { kind: 'unavailable' }],
  // This account cannot send at all for now (balance, quota, suspension, wrong endpoint); another provider may.
  ['isv.AMOUNT_NOT_ENOUGH', { kind: 'unavailable' }],
  ['isv.OUT_OF_SERVICE', { kind: 'unavailable' }],
  ['isv.MONTH_LIMIT_CONTROL', { kind: 'unavailable' }],
  ['InvalidVersion', { kind: 'unavailable' }],
  ['InvalidAction.NotFound', { kind: 'unavailable' }],
  // The number.
  ['isv.MOBILE_NUMBER_ILLEGAL', { kind: 'invalid_recipient' }],
  // The content, the signature or the template: never retry as is.
  ['isv.SMS_SIGNATURE_ILLEGAL', { kind: 'rejected_content' }],
  ['isv.SIGN_STATE_ILLEGAL', { kind: 'rejected_content' }],
  ['isv.SMS_SIGN_ILLEGAL', { kind: 'rejected_content' }],
  ['isv.SMS_SIGNATURE_SCENE_ILLEGAL', { kind: 'rejected_content' }],
  ['isv.SMS_TEMPLATE_ILLEGAL', { kind: 'rejected_content' }],
  ['isv.TEMPLATE_MISSING_PARAMETERS', { kind: 'rejected_content' }],
  ['isv.INVALID_JSON_PARAM', { kind: 'rejected_content' }],
  ['isv.PARAM_LENGTH_LIMIT', { kind: 'rejected_content' }],
  ['isv.PARAM_NOT_SUPPORT_URL', { kind: 'rejected_content' }],
  ['isv.BLACK_KEY_CONTROL_LIMIT', { kind: 'rejected_content' }],
  // Requests we should never build, or a template for the wrong region: a bug or a mapping to fix.
  ['isv.MOBILE_COUNT_OVER_LIMIT', { kind: 'permanent' }],
  ['isv.DOMESTIC_NUMBER_NOT_SUPPORTED', { kind: 'permanent' }],
  ['MissingPhoneNumbers', { kind: 'permanent' }],
  ['MissingSignName', { kind: 'permanent' }],
  ['MissingTemplateCode', { kind: 'permanent' }],
]);

/** Codes Aliyun adds later fall back on their family, then on the HTTP status (../http-status.ts). */
function familyKind(code: string, httpStatus: number): ProviderErrorKind {
  if (code.includes('Throttling')) return 'rate_limited'; // as the official SDK decides
  if (code.startsWith('InvalidAccessKeyId') || code.startsWith('Forbidden')) return 'auth';
  if (code.startsWith('isp.')) return 'transient';
  if (code.startsWith('isv.')) return 'permanent';
  return kindOfHttpStatus(httpStatus);
}

export function kindOfCode(code: string, httpStatus = 200): ProviderErrorKind {
  return CODES.get(code)?.kind ?? familyKind(code, httpStatus);
}

export interface AliyunErrorContext {
  requestId: string | null;
  httpStatus: number;
  recommend?: string | null;
  /** The gateway's `x-acs-retry-after` on throttling, read as milliseconds (its unit is unverified). */
  retryAfterHeader?: string | null;
  now: number;
}

/** An Aliyun error code, from a business answer (HTTP 200) or a gateway refusal, as a `ProviderError`. */
export function aliyunError(code: string, message: string, ctx: AliyunErrorContext): ProviderError {
  const rule = CODES.get(code);
  const kind = rule?.kind ?? familyKind(code, ctx.httpStatus);
  const text = maskNumbers(message);
  let retryAfterMs: number | null = null;
  if (kind === 'rate_limited') {
    const header = Number.parseInt(ctx.retryAfterHeader ?? '', 10);
    retryAfterMs = Number.isFinite(header) && header >= 0 ? header : (rule?.retryAfter?.(ctx.now, message) ?? null);
  }
  return new ProviderError(kind, `Aliyun ${code}: ${text}`, {
    providerCode: code,
    retryAfterMs,
    cause: new AliyunApiError(code, text, ctx.requestId, ctx.httpStatus, ctx.recommend ?? null),
  });
}

/** A non-2xx answer without Aliyun's error body: a load balancer or proxy in between answered. */
export function aliyunHttpError(status: number, headers: HttpHeaders, body: string, now: number): ProviderError {
  const cause = new AliyunApiError(`HTTP${status}`, snippet(body), null, status);
  return httpStatusError(status, headers, now, { who: 'Aliyun', cause });
}

/**
 * A 2xx whose body is not a SendSms answer. Retryable: the text may or may not have gone out
 * (SendSms is not idempotent, providers.md §3.1), and for reminders and codes a duplicate is the
 * lesser harm than a silent loss.
 */
export function aliyunUnreadableSuccess(status: number, body: string): ProviderError {
  return new ProviderError('transient', `Aliyun answered HTTP ${status} with a body that is not a SendSms response`, {
    cause: new AliyunApiError('Unreadable', snippet(body), null, status),
  });
}
