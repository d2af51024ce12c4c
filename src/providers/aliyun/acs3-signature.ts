/**
 * @module providers/aliyun/acs3-signature
 * Alibaba Cloud's ACS3-HMAC-SHA256 request signature ("V3", providers.md §3.4, worked example A2),
 * the default of the current official SDK. Written here rather than borrowed from the SDK: the SDK
 * cannot take an AbortSignal and brings its own HTTP stack, while this is forty lines of hashing.
 */
import { createHash, createHmac } from 'node:crypto';

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

export interface Acs3Input {
  accessKeyId: string;
  accessKeySecret: string;
  method: string;
  /** The path, before encoding; `/` for RPC-style APIs such as Dysmsapi. */
  path: string;
  /** Query parameters, not yet encoded. */
  query: Readonly<Record<string, string>>;
  /**
   * The headers that are sent and must be signed: `host`, every `x-acs-*` header, and
   * `content-type` when there is one. Names in any case; values as sent.
   */
  headers: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the exact body bytes, also sent as `x-acs-content-sha256`. */
  hashedPayload: string;
}

export interface Acs3Signature {
  authorization: string;
  signature: string;
  signedHeaders: string;
  canonicalRequest: string;
  stringToSign: string;
}

export function acs3Sign(input: Acs3Input): Acs3Signature {
  const headers = Object.entries(input.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([name]) => name).join(';');
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.path.split('/').map(percentEncode).join('/'),
    canonicalQuery(input.query),
    headers.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders,
    input.hashedPayload,
  ].join('\n');
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  // The key is the bare secret: no "&" as in the older HMAC-SHA1 scheme.
  const signature = createHmac('sha256', input.accessKeySecret).update(stringToSign, 'utf8').digest('hex');
  return {
    authorization: `${ACS3_ALGORITHM} Credential=${input.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
    signature,
    signedHeaders,
    canonicalRequest,
    stringToSign,
  };
}

/** Keys sorted, keys and values RFC 3986-encoded, `k=v` joined by `&`; also what we send as the query. */
export function canonicalQuery(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(query[key] ?? '')}`)
    .join('&');
}

/** RFC 3986 with uppercase hex: only `A–Z a–z 0–9 - _ . ~` stay as they are. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
