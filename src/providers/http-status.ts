/**
 * @module providers/http-status
 * What an HTTP status alone says about a refused request, the same for every HTTP adapter: used
 * when the body carries no vendor code (a load balancer's or proxy's page), or a code the vendor's
 * table does not know. A vendor code that the adapter's table knows always wins over this rule.
 *
 *   401, 403 → auth · 429 → rate_limited · 503 → unavailable · 500, 502, 504 and other 5xx →
 *   transient · other 4xx → permanent. Retry-After is read on 429 and 503, where waiting is the answer.
 */
import { ProviderError, type ProviderErrorKind } from '../core/provider-error.js';
import { parseRetryAfter } from './retry-after.js';

export type HttpHeaders = Record<string, string | string[] | undefined>;

export function kindOfHttpStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'transient';
  return 'permanent';
}

/** The wait Retry-After asks for, when the kind is one where waiting helps; null otherwise. */
export function retryAfterFor(kind: ProviderErrorKind, headers: HttpHeaders, now: number): number | null {
  if (kind !== 'rate_limited' && kind !== 'unavailable') return null;
  return parseRetryAfter(headerValue(headers, 'retry-after'), now);
}

/**
 * A non-2xx answer with no vendor code: classified by its status, which is kept as `providerCode`.
 * `who` names the other side ("Aliyun"); `cause` keeps what the body said.
 */
export function httpStatusError(
  status: number,
  headers: HttpHeaders,
  now: number,
  opts: { who: string; cause?: unknown },
): ProviderError {
  const kind = kindOfHttpStatus(status);
  return new ProviderError(kind, `${opts.who} answered HTTP ${status}`, {
    providerCode: String(status),
    retryAfterMs: retryAfterFor(kind, headers, now),
    cause: opts.cause,
  });
}

/** The first value of a header (undici gives repeated headers as an array). */
export function headerValue(headers: HttpHeaders, name: string): string | null {
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}
