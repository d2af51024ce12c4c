/**
 * @module test/fakes/tencent/tc3-verifier
 * How Tencent's gateway checks a TC3-HMAC-SHA256 request (providers.md §4.3), written apart from
 * our signer so the adapter is tested against a second reading of the spec, not against itself.
 * The date and service come from the `Credential=` scope; the canonical headers are rebuilt from
 * the headers received (names and values lowercased and trimmed, the Host without a port), the way
 * a gateway behind :443 sees them.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface ParsedAuthorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export type Tc3Check =
  { ok: true; auth: ParsedAuthorization } | { ok: false; code: string; message: string; auth?: ParsedAuthorization };

export interface Tc3Request {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export function parseAuthorization(header: string | undefined): ParsedAuthorization | null {
  const m = AUTHORIZATION.exec((header ?? '').trim());
  if (!m) return null;
  const [, secretId = '', date = '', service = '', signed = '', signature = ''] = m;
  return { secretId, date, service, signedHeaders: signed.split(';'), signature };
}

/** The hex signature a request with these parts must carry. */
export function expectedSignature(
  req: Tc3Request,
  auth: Omit<ParsedAuthorization, 'signature' | 'secretId'>,
  secretKey: string,
  timestamp: string,
): string {
  const [path = '/', query = ''] = req.url.split('?');
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${headerValue(req.headers, name).trim().toLowerCase()}\n`)
    .join('');
  const hashedPayload = createHash('sha256').update(req.body, 'utf8').digest('hex');
  const canonical = `${req.method.toUpperCase()}\n${path}\n${query}\n${canonicalHeaders}\n${auth.signedHeaders.join(';')}\n${hashedPayload}`;
  const scope = `${auth.date}/${auth.service}/tc3_request`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
  let key: Buffer = createHmac('sha256', `TC3${secretKey}`).update(auth.date).digest();
  for (const part of [auth.service, 'tc3_request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

/**
 * Checks the Authorization header against `secrets` (SecretId → SecretKey), the timestamp against
 * `now` (±300 s), and the scope against the `service` this endpoint is.
 */
export function verifyTc3(
  req: Tc3Request,
  opts: { secrets: ReadonlyMap<string, string>; now: number; service: string; maxSkewSeconds?: number },
): Tc3Check {
  const auth = parseAuthorization(headerValue(req.headers, 'authorization'));
  if (!auth) {
    return {
      ok: false,
      code: 'AuthFailure.InvalidAuthorization',
      message: 'Authorization header format is invalid. Use TC3-HMAC-SHA256 as described in the signature v3 document.',
    };
  }
  const timestamp = headerValue(req.headers, 'x-tc-timestamp').trim();
  if (!/^\d{1,12}$/.test(timestamp)) {
    return {
      ok: false,
      code: 'MissingParameter',
      message: 'The request is missing a required parameter `Timestamp`.',
      auth,
    };
  }
  const skew = Math.abs(Number(timestamp) - Math.floor(opts.now / 1000));
  if (skew > (opts.maxSkewSeconds ?? 300)) {
    return {
      ok: false,
      code: 'AuthFailure.SignatureExpire',
      message: `Signature expired. Timestamp and server time cannot differ by more than five minutes. (request ${timestamp}, server ${Math.floor(opts.now / 1000)})`,
      auth,
    };
  }
  const secretKey = opts.secrets.get(auth.secretId);
  if (secretKey === undefined) {
    return {
      ok: false,
      code: 'AuthFailure.SecretIdNotFound',
      message: 'The SecretId is not found, please ensure that your SecretId is correct.',
      auth,
    };
  }
  const failure = (why: string): Tc3Check => ({
    ok: false,
    code: 'AuthFailure.SignatureFailure',
    message: `The provided credentials could not be validated. Please check your signature is correct. (${why})`,
    auth,
  });
  if (new Date(Number(timestamp) * 1000).toISOString().slice(0, 10) !== auth.date) {
    return failure('the credential date is not the UTC date of X-TC-Timestamp');
  }
  if (auth.service !== opts.service) return failure(`the credential scope names service "${auth.service}"`);
  if (!auth.signedHeaders.includes('content-type') || !auth.signedHeaders.includes('host')) {
    return failure('SignedHeaders must include content-type and host');
  }
  const want = Buffer.from(expectedSignature(req, auth, secretKey, timestamp));
  const got = Buffer.from(auth.signature);
  if (got.length !== want.length || !timingSafeEqual(got, want)) return failure('signature mismatch');
  return { ok: true, auth };
}

/** A header's value; `host` without its port, as a gateway on the default port receives it. */
export function headerValue(headers: Tc3Request['headers'], name: string): string {
  let value = headers[name];
  if (value === undefined) {
    for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) value = v;
  }
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return name === 'host' ? text.replace(/:\d+$/, '') : text;
}
