/**
 * @module test/fakes/aliyun/acs3-verifier
 * ACS3-HMAC-SHA256 ("V3", the official SDK's default) checked as Aliyun's gateway checks it
 * (providers.md §3.4, worked example A2). The signed headers are taken from the Authorization
 * header, never assumed (the SDK also signs `x-acs-credentials-provider`), but `host`, every
 * `x-acs-*` header and `content-type` must be among them; the query is decoded and re-encoded
 * before it is canonicalized, as a server must; the body must match `x-acs-content-sha256`.
 * Written apart from the adapter's signer, so the fake does not share its mistakes.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { gateway, missing, type FakeError } from './aliyun-errors.js';
import { popEncode } from './rpc-verifier.js';

export const ACS3 = 'ACS3-HMAC-SHA256';

export interface Acs3Request {
  method: string;
  /** Path and raw query, as on the request line. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Acs3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

export interface Acs3Auth {
  accessKeyId: string;
  nonce: string;
  action: string;
  version: string;
  /** The query's parameters, decoded. */
  query: Record<string, string>;
}

export type Acs3Result = ({ ok: true } & Acs3Auth) | ({ ok: false } & FakeError);

const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const MAX_SKEW_MS = 15 * 60_000;

/** `ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=hex` → its parts; null when garbled. */
export function parseAcs3Authorization(value: string | undefined): Acs3Authorization | null {
  if (!value?.startsWith(`${ACS3} `)) return null;
  const parts = new Map<string, string>();
  for (const part of value.slice(ACS3.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature || !/^[0-9a-f]{64}$/.test(signature)) return null;
  return { accessKeyId, signedHeaders: signedHeaders.split(';'), signature };
}

/** Query string → decoded pairs (`+` read as a space, as servers read forms). */
export function decodeQuery(rawQuery: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (rawQuery === '') return out;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    out[safeDecode(key)] = safeDecode(value);
  }
  return out;
}

function safeDecode(text: string, plusIsSpace = true): string {
  try {
    return decodeURIComponent(plusIsSpace ? text.replace(/\+/g, ' ') : text);
  } catch {
    return text; // malformed escapes stay as they are, and the signature check will fail on them
  }
}

export function acs3CanonicalRequest(req: Acs3Request, signedHeaders: readonly string[]): string {
  const q = req.url.indexOf('?');
  const rawPath = q === -1 ? req.url : req.url.slice(0, q);
  const query = decodeQuery(q === -1 ? '' : req.url.slice(q + 1));
  const canonicalPath = rawPath
    .split('/')
    .map((segment) => popEncode(safeDecode(segment, false)))
    .join('/');
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${popEncode(k)}=${popEncode(query[k] ?? '')}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headerValue(req.headers, name).trim()}\n`).join('');
  return [
    req.method.toUpperCase(),
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    headerValue(req.headers, 'x-acs-content-sha256'),
  ].join('\n');
}

export function expectedAcs3Signature(secret: string, req: Acs3Request, signedHeaders: readonly string[]): string {
  const hashed = createHash('sha256').update(acs3CanonicalRequest(req, signedHeaders), 'utf8').digest('hex');
  return createHmac('sha256', secret).update(`${ACS3}\n${hashed}`, 'utf8').digest('hex');
}

export function verifyAcs3(req: Acs3Request, opts: { secrets: ReadonlyMap<string, string>; now: number }): Acs3Result {
  const refuse = (e: FakeError): Acs3Result => ({ ok: false, ...e });
  const auth = parseAcs3Authorization(headerValue(req.headers, 'authorization') || undefined);
  if (!auth) return refuse(gateway('IncompleteSignature'));
  const action = headerValue(req.headers, 'x-acs-action');
  if (!action) return refuse(missing('Action'));
  const version = headerValue(req.headers, 'x-acs-version');
  if (!version) return refuse(missing('Version'));
  for (const name of ['x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
    if (!headerValue(req.headers, name)) return refuse(gateway('IncompleteSignature', `${name} is mandatory.`));
  }

  const mustSign = Object.keys(req.headers).filter(
    (name) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'),
  );
  const unsigned = mustSign.find((name) => !auth.signedHeaders.includes(name));
  if (unsigned) return refuse(gateway('IncompleteSignature', `The header ${unsigned} must be signed.`));
  const sorted = [...auth.signedHeaders].sort();
  if (sorted.join(';') !== auth.signedHeaders.join(';') || auth.signedHeaders.some((h) => h !== h.toLowerCase())) {
    return refuse(gateway('IncompleteSignature', 'SignedHeaders must be lowercase and sorted.'));
  }

  const date = headerValue(req.headers, 'x-acs-date');
  if (!DATE.test(date) || Number.isNaN(Date.parse(date))) return refuse(gateway('InvalidTimeStamp.Format'));
  if (Math.abs(Date.parse(date) - opts.now) > MAX_SKEW_MS) return refuse(gateway('InvalidTimeStamp.Expired'));

  const secret = opts.secrets.get(auth.accessKeyId);
  if (secret === undefined) return refuse(gateway('InvalidAccessKeyId.NotFound'));
  const bodyHash = createHash('sha256').update(req.body, 'utf8').digest('hex');
  if (headerValue(req.headers, 'x-acs-content-sha256') !== bodyHash) {
    return refuse(gateway('SignatureDoesNotMatch', 'x-acs-content-sha256 does not match the body.'));
  }
  const want = Buffer.from(expectedAcs3Signature(secret, req, auth.signedHeaders), 'hex');
  const got = Buffer.from(auth.signature, 'hex');
  if (want.length !== got.length || !timingSafeEqual(want, got)) return refuse(gateway('SignatureDoesNotMatch'));

  const q = req.url.indexOf('?');
  return {
    ok: true,
    accessKeyId: auth.accessKeyId,
    nonce: headerValue(req.headers, 'x-acs-signature-nonce'),
    action,
    version,
    query: decodeQuery(q === -1 ? '' : req.url.slice(q + 1)),
  };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v.join(',') : v) ?? '';
}
