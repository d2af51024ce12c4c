/**
 * @module providers/sns/errors
 * SNS's failures mapped once, here, onto `ProviderError` kinds (providers.md §5.2), so the dispatcher
 * decides retry, failover or give-up from the kind and never from AWS's text. The one exception is
 * `InvalidParameter`, which AWS uses for every bad field: only its message says which field, and
 * only the field says whether the recipient or the content was refused.
 *
 * The vendor error is kept as `cause` in an `SnsApiError` that carries the wire code, type, status
 * and request id, with phone numbers masked: AWS quotes the number back, and errors reach logs.
 */
import { ProviderError, type ProviderErrorKind } from '../../core/provider-error.js';
import { kindOfHttpStatus, retryAfterFor } from '../http-status.js';
import { maskNumbers } from '../vendor-text.js';

/** AWS's error as it came off the wire, minus anything personal. */
export class SnsApiError extends Error {
  override readonly name = 'SnsApiError';
  constructor(
    readonly httpStatus: number,
    readonly code: string | null,
    readonly type: string | null,
    readonly requestId: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** Wire codes (the `<Code>` of an ErrorResponse), SNS's own and those common to all AWS Query APIs. */
const CODE_KINDS: ReadonlyMap<string, ProviderErrorKind> = new Map([
  // Slow down: account or SMS throughput limits. None says for how long.
  ['Throttling', 'rate_limited'],
  ['ThrottlingException', 'rate_limited'],
  ['Throttled', 'rate_limited'],
  ['TooManyRequestsException', 'rate_limited'],
  ['RequestLimitExceeded', 'rate_limited'],
  ['KMSThrottling', 'rate_limited'],
  // Credentials, permissions, account state: an operator has to act.
  ['AuthorizationError', 'auth'],
  ['InvalidClientTokenId', 'auth'],
  ['SignatureDoesNotMatch', 'auth'],
  ['IncompleteSignature', 'auth'],
  ['MissingAuthenticationToken', 'auth'],
  ['AccessDenied', 'auth'],
  ['AccessDeniedException', 'auth'],
  ['NotAuthorized', 'auth'],
  ['ExpiredToken', 'auth'],
  ['UnrecognizedClientException', 'auth'],
  ['InvalidSecurity', 'auth'], // SNS: the request was not made over HTTPS or not signed with SigV4
  ['OptInRequired', 'auth'], // the account is not subscribed to SNS
  ['RequestExpired', 'auth'],
  // AWS's side.
  ['InternalError', 'transient'],
  ['InternalFailure', 'transient'],
  ['ServiceUnavailable', 'unavailable'],
  // The recipient.
  ['OptedOut', 'opted_out'],
  // Will not work as configured: encryption keys, disabled endpoints, bad requests.
  ['EndpointDisabled', 'permanent'],
  ['PlatformApplicationDisabled', 'permanent'],
  ['KMSAccessDenied', 'permanent'],
  ['KMSDisabled', 'permanent'],
  ['KMSInvalidState', 'permanent'],
  ['KMSNotFound', 'permanent'],
  ['KMSOptInRequired', 'permanent'],
  ['NotFound', 'permanent'],
  ['InvalidAction', 'permanent'],
  ['ValidationError', 'permanent'],
  ['ValidationException', 'permanent'],
  ['InvalidParameter', 'permanent'], // refined by field, see parameterKind
  ['ParameterValueInvalid', 'permanent'], // refined by field, see parameterKind
]);

export interface SnsErrorFacts {
  httpStatus: number;
  /** The `<Code>` of the ErrorResponse; null when the body was not SNS XML. */
  code: string | null;
  type: string | null;
  message: string;
  requestId: string | null;
  /** Seconds or an HTTP date from a `Retry-After` header, which SNS itself never sends but proxies may. */
  retryAfter: string | null;
  /**
   * The SDK moved its clock to AWS's after a skew error ("Signature expired"): the same call,
   * signed again, will pass, so a signature error is then worth a retry rather than an operator.
   */
  clockSkewCorrected: boolean;
}

/** Classifies an answer AWS (or something in front of it) gave with a non-2xx status. */
export function snsResponseError(facts: SnsErrorFacts, now: number): ProviderError {
  const kind = facts.clockSkewCorrected ? 'transient' : kindFor(facts);
  const message = maskNumbers(facts.message);
  const retryAfterMs = retryAfterFor(kind, { 'retry-after': facts.retryAfter ?? undefined }, now);
  const text = facts.code ? `SNS ${facts.code}: ${message}` : `SNS answered HTTP ${facts.httpStatus}`;
  return new ProviderError(kind, text, {
    // Without SNS's own code (a proxy's page), the status says what happened (../http-status.ts).
    providerCode: facts.code ?? String(facts.httpStatus),
    retryAfterMs,
    cause: new SnsApiError(facts.httpStatus, facts.code, facts.type, facts.requestId, message),
  });
}

function kindFor(facts: SnsErrorFacts): ProviderErrorKind {
  if (facts.code === 'InvalidParameter' || facts.code === 'ParameterValueInvalid') return parameterKind(facts.message);
  return (facts.code === null ? undefined : CODE_KINDS.get(facts.code)) ?? kindOfHttpStatus(facts.httpStatus);
}

/** `Invalid parameter: PhoneNumber Reason: …` names the field; the field names the culprit. */
function parameterKind(message: string): ProviderErrorKind {
  if (/\bPhoneNumber\b/.test(message)) return 'invalid_recipient';
  if (/^Invalid parameter: (Empty message|Message\b)/.test(message)) return 'rejected_content';
  return 'permanent';
}

/**
 * A 2xx whose body is not a PublishResponse with a MessageId. The SMS may exist at AWS; without its
 * id we cannot follow it, and Publish has no idempotency key, so we retry and risk a duplicate
 * rather than risk a silent loss, as for Twilio.
 */
export function snsUnreadableSuccess(httpStatus: number, cause: unknown): ProviderError {
  return new ProviderError('transient', `SNS answered HTTP ${httpStatus} with a body that is not a PublishResponse`, {
    cause: cause instanceof Error ? new SnsApiError(httpStatus, null, null, null, cause.message) : undefined,
  });
}
