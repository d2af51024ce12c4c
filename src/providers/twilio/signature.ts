/**
 * @module providers/twilio/signature
 * X-Twilio-Signature, computed and checked exactly as Twilio and its official libraries do
 * (providers.md §1.6), so that a callback is believed only if it was signed with our auth token.
 * Our own code, not the SDK's, because the SDK is a dev dependency and this runs on every callback.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
import { twilioSignedData, type TwilioParams } from '../../core/twilio-signing.js';

export type { TwilioParams };

/** base64(HMAC-SHA1(token, url + name1 + value1 + name2 + value2 …)), names sorted. */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  return createHmac('sha1', authToken).update(twilioSignedData(url, params), 'utf8').digest('base64');
}

/** Hex SHA-256 of a JSON body, which Twilio puts in the URL as `bodySHA256` (T9). */
export function bodySha256(rawBody: string): string {
  return createHash('sha256').update(rawBody, 'utf8').digest('hex');
}

/**
 * True when `signature` matches the URL as received (with and without the scheme's default port),
 * or, failing that, the URL as `new URL()` normalizes it, with and without the legacy querystring
 * re-encoding (`'` vs `%27`). The same candidates twilio-node's `validateRequest` accepts.
 */
export function verifyTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: TwilioParams,
): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature);
  const matches = (candidate: string): boolean => sameBytes(given, twilioSignature(authToken, candidate, params));
  if (matches(withoutPort(url)) || matches(withPort(url))) return true;
  let normalized: string;
  try {
    normalized = new URL(url).toString();
  } catch {
    return false;
  }
  const bare = withoutPort(normalized);
  const ported = withPort(normalized);
  return [bare, ported, withLegacyQuery(bare), withLegacyQuery(ported)].some(matches);
}

/** For JSON-bodied webhooks: the URL carries `bodySHA256`, is signed with no params, and must match the body. */
export function verifyTwilioSignatureWithBody(
  authToken: string,
  signature: string | undefined,
  url: string,
  rawBody: string,
): boolean {
  let expectedHash: string | null;
  try {
    expectedHash = new URL(url).searchParams.get('bodySHA256');
  } catch {
    return false;
  }
  if (!expectedHash) return false;
  const signed = verifyTwilioSignature(authToken, signature, url, {});
  return signed && sameBytes(Buffer.from(expectedHash), bodySha256(rawBody));
}

function sameBytes(given: Buffer, expected: string): boolean {
  const want = Buffer.from(expected);
  // The expected length is fixed by the algorithm, so an early exit on length leaks nothing.
  return given.length === want.length && timingSafeEqual(given, want);
}

interface UrlParts {
  scheme: string;
  userInfo: string;
  host: string;
  port: string;
  rest: string;
}

/** Splits without normalizing, so the path and query keep the exact characters Twilio signed. */
function splitUrl(url: string): UrlParts | null {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!m) return null;
  const [prefix, scheme = '', authority = ''] = m;
  const at = authority.lastIndexOf('@');
  const hostPort = authority.slice(at + 1);
  // In an IPv6 literal the port's colon comes after the closing bracket.
  const colon = hostPort.indexOf(':', hostPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, at + 1),
    host: colon === -1 ? hostPort : hostPort.slice(0, colon),
    port: colon === -1 ? '' : hostPort.slice(colon),
    rest: url.slice(prefix.length),
  };
}

function withoutPort(url: string): string {
  const p = splitUrl(url);
  return p ? p.scheme + p.userInfo + p.host + p.rest : url;
}

function withPort(url: string): string {
  const p = splitUrl(url);
  if (!p || p.port !== '') return url;
  const port = p.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return p.scheme + p.userInfo + p.host + port + p.rest;
}

function withLegacyQuery(url: string): string {
  const q = url.indexOf('?');
  if (q === -1 || q === url.length - 1) return url;
  return `${url.slice(0, q)}?${stringifyQuery(parseQuery(url.slice(q + 1)))}`;
}
