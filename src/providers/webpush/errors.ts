/**
 * @module providers/webpush/errors
 * Push service answers mapped once, here, onto `ProviderError` kinds (RFC 8030 §5–§8, RFC 8292).
 * Every push service (FCM, Mozilla, Apple, Microsoft) speaks HTTP status codes and only their
 * bodies differ, so the status decides and the body is kept, shortened, in the cause.
 */
import { ProviderError, type ProviderErrorKind } from '../../core/provider-error.js';
import { kindOfHttpStatus, retryAfterFor, type HttpHeaders } from '../http-status.js';
import { snippet } from '../vendor-text.js';

/** A push service's non-2xx answer, kept as the `cause`. */
export class PushServiceError extends Error {
  override readonly name = 'PushServiceError';
  constructor(
    readonly status: number,
    readonly body: string,
    readonly origin: string,
  ) {
    super(`${origin} answered HTTP ${status}${body ? `: ${body}` : ''}`);
  }
}

/** What a status means from a push service, beyond the rule every HTTP adapter shares (../http-status.ts). */
const STATUS_KINDS: ReadonlyMap<number, ProviderErrorKind> = new Map([
  [404, 'invalid_recipient'], // the subscription does not exist (any more): delete it
  [410, 'invalid_recipient'], // the subscription expired or was unsubscribed: delete it
  [413, 'rejected_content'], // the payload is over the service's limit (at least 4,096 bytes)
]);

/**
 * A push service's non-2xx answer. 401/403 (the VAPID JWT is missing, expired or not the key the
 * subscription was made with) → auth, 429 → rate_limited, 503 → unavailable, other 5xx transient,
 * other 4xx (400: malformed headers or encoding) permanent, all by the shared rule.
 */
export function pushResponseError(
  status: number,
  headers: HttpHeaders,
  body: string,
  origin: string,
  now: number,
): ProviderError {
  const kind = STATUS_KINDS.get(status) ?? kindOfHttpStatus(status);
  const text = status === 404 || status === 410 ? 'the push subscription is gone' : `HTTP ${status}`;
  return new ProviderError(kind, `Push service ${origin}: ${text}`, {
    providerCode: status,
    retryAfterMs: retryAfterFor(kind, headers, now),
    cause: new PushServiceError(status, snippet(body), origin),
  });
}
