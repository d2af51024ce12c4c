/**
 * @module test/fakes/sns/sigv4
 * AWS Signature Version 4, written from the published algorithm (providers.md §5.3) and nothing else,
 * so that the fake's verifier is an implementation independent of the SDK it checks. The same
 * pieces sign requests by hand in tests (the standalone signer), and both are pinned to AWS's worked
 * example S1 in sigv4.test.ts.
 */
import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** A request as signed: raw target (path and query as sent), header pairs as they appear, body bytes. */
export interface SignableRequest {
  method: string;
  /** Path plus query exactly as on the request line, e.g. `/?Action=ListUsers&Version=2010-05-08`. */
  target: string;
  /** Header name/value pairs in arrival order; repeats are kept (Node's `req.rawHeaders`, paired). */
  headers: readonly (readonly [string, string])[];
  body: string | Buffer;
}

export interface Scope {
  /** `YYYYMMDD`. */
  date: string;
  region: string;
  service: string;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** RFC 3986 encoding as SigV4 wants it: only `A-Za-z0-9-_.~` stay, hex digits upper case. */
export function awsUriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeLoosely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Non-S3 services normalize the path (no `.`/`..`, no empty segments) and encode each segment of the
 * path as sent once more, so `%20` on the wire becomes `%2520` here.
 */
export function canonicalUri(rawPath: string): string {
  const out: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(awsUriEncode(segment));
  }
  const trailing = rawPath.length > 1 && rawPath.endsWith('/') && out.length > 0 ? '/' : '';
  return `/${out.join('/')}${trailing}`;
}

/** Every pair decoded, re-encoded the SigV4 way, sorted by name then value. */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs = rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const name = eq === -1 ? p : p.slice(0, eq);
      const value = eq === -1 ? '' : p.slice(eq + 1);
      return [awsUriEncode(decodeLoosely(name)), awsUriEncode(decodeLoosely(value))] as const;
    });
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

/** `name:value\n` for each signed header, in the order given; repeats joined by `,`, spaces collapsed. */
export function canonicalHeaders(headers: SignableRequest['headers'], signedHeaders: readonly string[]): string {
  let out = '';
  for (const name of signedHeaders) {
    const values = headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v.trim().replace(/\s+/g, ' '));
    out += `${name}:${values.join(',')}\n`;
  }
  return out;
}

export function canonicalRequest(req: SignableRequest, signedHeaders: readonly string[]): string {
  const q = req.target.indexOf('?');
  const path = q === -1 ? req.target : req.target.slice(0, q);
  const query = q === -1 ? '' : req.target.slice(q + 1);
  return [
    req.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    canonicalHeaders(req.headers, signedHeaders),
    signedHeaders.join(';'),
    sha256Hex(req.body),
  ].join('\n');
}

export function credentialScope(scope: Scope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
}

export function stringToSign(amzDate: string, scope: Scope, canonical: string): string {
  return [ALGORITHM, amzDate, credentialScope(scope), sha256Hex(canonical)].join('\n');
}

export function signingKey(secretAccessKey: string, scope: Scope): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, scope.date);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  return hmac(kService, 'aws4_request');
}

export function signature(secretAccessKey: string, scope: Scope, toSign: string): string {
  return createHmac('sha256', signingKey(secretAccessKey, scope)).update(toSign, 'utf8').digest('hex');
}

/** `20150830T123600Z`. */
export function amzDate(at: number): string {
  return new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export interface SignOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
  now: number;
  /** Headers to sign besides those present (default: all headers of the request, plus x-amz-date). */
  signedHeaders?: readonly string[];
}

/**
 * The standalone signer: adds `x-amz-date` (unless present) and `authorization` to a request.
 * Tests use it to make requests the SDK never would (other scopes, old dates, tampered bodies).
 */
export function signRequest(req: SignableRequest, opts: SignOptions): SignableRequest {
  const date = amzDate(opts.now);
  const headers: (readonly [string, string])[] = [...req.headers];
  if (!headers.some(([n]) => n.toLowerCase() === 'x-amz-date')) headers.push(['x-amz-date', date]);
  const xAmzDate = headers.find(([n]) => n.toLowerCase() === 'x-amz-date')?.[1] ?? date;
  const signed = opts.signedHeaders ?? [...new Set(headers.map(([n]) => n.toLowerCase()))].sort();
  const scope: Scope = { date: xAmzDate.slice(0, 8), region: opts.region, service: opts.service };
  const toSign = stringToSign(xAmzDate, scope, canonicalRequest({ ...req, headers }, signed));
  const authorization =
    `${ALGORITHM} Credential=${opts.accessKeyId}/${credentialScope(scope)}, ` +
    `SignedHeaders=${signed.join(';')}, Signature=${signature(opts.secretAccessKey, scope, toSign)}`;
  headers.push(['authorization', authorization]);
  return { ...req, headers };
}
