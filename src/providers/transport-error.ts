/**
 * @module providers/transport-error
 * A request that got no answer, classified the same way for every network adapter: our own timeout
 * and the caller's abort are worth another try (`transient`); a host that refuses or cannot be found
 * or reached, or a certificate we do not trust, is out of reach for now (`unavailable`); any other
 * socket failure (a reset, a closed connection) is `transient`. The errno or undici code is kept as
 * `providerCode`, so an operator sees ECONNREFUSED rather than nothing.
 */
import { ProviderError } from '../core/provider-error.js';

export type TransportFailure = 'timeout' | 'aborted' | 'network';

/** Connection failures that will not clear within one retry's delay: the endpoint is not there for us. */
const UNREACHABLE: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** TLS verification failures (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`, …): an operator must act. */
const UNTRUSTED = /CERT|SELF_SIGNED|TLS|SSL/;
/** undici's wrappers, which say less than the socket error they wrap. */
const WRAPPERS: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'UND_ERR_CONNECT']);

/**
 * `who` names the other side in the message ("Twilio", "push service https://fcm.googleapis.com");
 * `timeoutMs` is the budget that ran out, for a timeout.
 */
export function transportError(
  failure: TransportFailure,
  cause: unknown,
  who: string,
  timeoutMs?: number,
): ProviderError {
  if (failure === 'timeout') {
    return new ProviderError('transient', capitalize(`${who} did not answer within ${timeoutMs} ms`), { cause });
  }
  if (failure === 'aborted') return new ProviderError('transient', `The ${who} request was aborted`, { cause });
  const code = networkErrorCode(cause);
  const unreachable = code !== null && (UNREACHABLE.has(code) || UNTRUSTED.test(code));
  const what = code ?? (cause instanceof Error ? cause.message : 'unknown error');
  return new ProviderError(unreachable ? 'unavailable' : 'transient', capitalize(`${who} request failed: ${what}`), {
    providerCode: code,
    cause,
  });
}

/** The most telling code along the cause chain: the socket's errno under undici's wrapper, if any. */
export function networkErrorCode(err: unknown): string | null {
  let wrapper: string | null = null;
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') {
      if (!WRAPPERS.has(code)) return code;
      wrapper ??= code;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return wrapper;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
