/**
 * @module providers/webpush/errors
 * Push service answers mapped once, here, onto `ProviderError` kinds (RFC 8030 §5–§8, RFC 8292).
 * Every push service (FCM, Mozilla, Apple, Microsoft) speaks HTTP status codes and only their
 * bodies differ, so the status decides and the body is kept, shortened, in the cause.
 */
import { ProviderError, type ProviderErrorKind } from '../../core/provider-error.js';
import { parseRetryAfter } from '../retry-after.js';

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

/** HTTP status → kind; anything else: other 4xx permanent, 5xx transient. */
const STATUS_KINDS: ReadonlyMap<number, ProviderErrorKind> = new Map([
  [404, 'invalid_recipient'], // the subscription does not exist (any more): delete it
  [410, 'invalid_recipient'], // the subscription expired or was unsubscribed: delete it
  [401, 'auth'], // the VAPID JWT is missing, expired or badly signed
  [403, 'auth'], // the VAPID key is not the one the subscription was made with
  [429, 'rate_limited'],
  [400, 'permanent'], // malformed request: headers, encoding
  [413, 'rejected_content'], // the payload is over the service's limit (at least 4,096 bytes)
  [503, 'unavailable'],
]);

export function pushResponseError(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  origin: string,
  now: number,
): ProviderError {
  const kind = STATUS_KINDS.get(status) ?? (status >= 500 ? 'transient' : 'permanent');
  const retryAfterMs =
    kind === 'rate_limited' || kind === 'unavailable' ? parseRetryAfter(header(headers, 'retry-after'), now) : null;
  const text = status === 404 || status === 410 ? 'the push subscription is gone' : `HTTP ${status}`;
  return new ProviderError(kind, `Push service ${origin}: ${text}`, {
    providerCode: status,
    retryAfterMs,
    cause: new PushServiceError(status, snippet(body), origin),
  });
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
