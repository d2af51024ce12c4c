/**
 * @module providers/twilio/errors
 * Twilio's failures mapped once, here, onto `ProviderError` kinds, so the dispatcher decides retry,
 * failover or give-up from the kind and never from Twilio's text (providers.md §1.2). The vendor's own
 * error stays attached as `cause` with its code, status and docs link.
 */
import { ProviderError, type ProviderErrorKind } from '../../core/provider-error.js';
import { httpStatusError, kindOfHttpStatus, retryAfterFor, type HttpHeaders } from '../http-status.js';
import { maskNumbers, snippet } from '../vendor-text.js';

/** Twilio's error body, `{code, message, more_info, status, details?}`, kept as the `cause`. */
export class TwilioApiError extends Error {
  override readonly name = 'TwilioApiError';
  constructor(
    readonly status: number,
    readonly code: number | null,
    message: string,
    readonly moreInfo: string | null,
    readonly details: unknown,
  ) {
    super(message);
  }
}

/** Synchronous create errors whose kind is not implied by the HTTP status alone. */
const CODE_KINDS: ReadonlyMap<number, ProviderErrorKind> = new Map([
  [20003, 'auth'],
  [20429, 'rate_limited'],
  [21611, 'rate_limited'], // the sender's queue is full: slow down, it drains
  [21211, 'invalid_recipient'],
  [21612, 'invalid_recipient'],
  [21614, 'invalid_recipient'],
  [21635, 'invalid_recipient'],
  [21610, 'opted_out'],
  [21408, 'permanent'], // geo permission: until an operator changes the console
  [21606, 'permanent'],
  [21608, 'permanent'],
  [21212, 'permanent'],
  [21617, 'rejected_content'], // body over 1,600 characters: never retry as is
  // Calls create (Twilio Voice); codes from Twilio's error pages, not in providers.md.
  [21210, 'permanent'], // the caller ID is not a Twilio number or a verified caller ID
  [21215, 'permanent'], // voice geo permissions: until an operator changes the console
  [21216, 'permanent'], // the number is on Twilio's block list
  [21217, 'invalid_recipient'], // 'To' does not appear to be a valid phone number
]);

/**
 * Classifies a non-2xx answer from the Messages API. `body` may be Twilio's JSON, a proxy's HTML or
 * nothing; then the HTTP status alone decides (../http-status.ts). `now` is for a Retry-After given
 * as an HTTP date.
 */
export function twilioResponseError(status: number, headers: HttpHeaders, body: string, now: number): ProviderError {
  const vendor = parseErrorBody(status, body);
  if (vendor === null) {
    const cause = new TwilioApiError(status, null, `HTTP ${status}: ${snippet(body)}`, null, undefined);
    return httpStatusError(status, headers, now, { who: 'Twilio', cause });
  }
  const code = vendor.code;
  const kind = (code === null ? undefined : CODE_KINDS.get(code)) ?? kindOfHttpStatus(status);
  return new ProviderError(kind, `Twilio ${code ?? status}: ${vendor.message}`, {
    providerCode: code ?? String(status),
    retryAfterMs: retryAfterFor(kind, headers, now),
    cause: vendor,
  });
}

/** A 2xx whose body we cannot read. See `index.ts` for why this is retryable. */
export function twilioUnreadableSuccess(status: number, body: string): ProviderError {
  return new ProviderError('transient', `Twilio answered HTTP ${status} with a body that is not a Message`, {
    cause: new TwilioApiError(status, null, snippet(body), null, undefined),
  });
}

export interface DeliveryErrorInfo {
  kind: ProviderErrorKind;
  /** Whether a new attempt (later, maybe elsewhere) may succeed. */
  retryable: boolean;
  meaning: string;
}

/** The 300xx codes that arrive later, in status callbacks; they describe, they do not steer a send. */
const DELIVERY_ERRORS: ReadonlyMap<number, DeliveryErrorInfo> = new Map([
  [30001, { kind: 'transient', retryable: true, meaning: 'queue overflow' }],
  [30002, { kind: 'auth', retryable: false, meaning: 'account suspended' }],
  [30003, { kind: 'transient', retryable: true, meaning: 'unreachable destination handset' }],
  [30004, { kind: 'permanent', retryable: false, meaning: 'message blocked' }],
  [30005, { kind: 'invalid_recipient', retryable: false, meaning: 'unknown destination handset' }],
  [30006, { kind: 'invalid_recipient', retryable: false, meaning: 'landline or unreachable carrier' }],
  [30007, { kind: 'rejected_content', retryable: false, meaning: 'message filtered by the carrier' }],
  [30008, { kind: 'transient', retryable: true, meaning: 'unknown error' }],
  [30009, { kind: 'transient', retryable: true, meaning: 'missing segment' }],
  [30010, { kind: 'permanent', retryable: false, meaning: 'message price exceeds max price' }],
]);

export function describeDeliveryError(code: string | number | null | undefined): DeliveryErrorInfo | null {
  if (code === null || code === undefined || code === '') return null;
  return DELIVERY_ERRORS.get(Number(code)) ?? null;
}

function parseErrorBody(status: number, body: string): TwilioApiError | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const o = json as Record<string, unknown>;
  const code =
    typeof o.code === 'number' ? o.code : typeof o.code === 'string' && /^\d+$/.test(o.code) ? Number(o.code) : null;
  const message = typeof o.message === 'string' ? o.message : null;
  if (code === null && message === null) return null;
  const moreInfo = typeof o.more_info === 'string' ? o.more_info : null;
  // Twilio quotes the numbers back ("The 'To' number +1555… is not valid"); errors end up in logs.
  return new TwilioApiError(status, code, maskNumbers(message ?? ''), moreInfo, o.details);
}
