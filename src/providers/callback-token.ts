/**
 * @module providers/callback-token
 * For providers that sign nothing on their callbacks (Aliyun, Tencent): the operator registers the
 * callback URL with a secret in its query, `…/status?token=<callbackToken>`, and we compare that
 * token with ours in constant time. It is only as secret as the URL: serve it over HTTPS.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RawRequest } from '../ports/provider.js';

/** A check that a callback is a POST whose URL carries `?token=` equal to `callbackToken`. */
export function callbackTokenCheck(callbackToken: string): (req: RawRequest) => boolean {
  const expected = digest(callbackToken);
  return (req) => {
    if (req.method.toUpperCase() !== 'POST') return false;
    const given = tokenOf(req.url);
    // Digests have a fixed length, so comparing them leaks neither the token nor its length.
    return given !== null && timingSafeEqual(digest(given), expected);
  };
}

function tokenOf(url: string): string | null {
  const q = url.indexOf('?');
  if (q === -1) return null;
  return new URLSearchParams(url.slice(q + 1).split('#')[0]).get('token');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
