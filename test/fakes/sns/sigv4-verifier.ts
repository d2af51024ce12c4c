/**
 * @module test/fakes/sns/sigv4-verifier
 * What AWS checks before it reads a single parameter: an `Authorization` header of the right shape,
 * a credential scope of this region and service, a known access key, a request time within the
 * allowed skew, and finally the signature recomputed over the request as received. Each failure
 * answers with the code AWS gives it, so the adapter's error mapping meets real shapes.
 */
import { timingSafeEqual } from 'node:crypto';
import { snsErrors, type SnsFault } from './sns-errors.js';
import {
  ALGORITHM,
  amzDate,
  canonicalRequest,
  signature,
  stringToSign,
  type Scope,
  type SignableRequest,
} from './sigv4.js';

export interface VerifyOptions {
  region: string;
  service: string;
  /** The secret for an access key id, or undefined when the key does not exist. */
  secretFor(accessKeyId: string): string | undefined;
  /** The verifier's clock (ms since epoch). */
  now: number;
  /** SNS allows 15 minutes either way (its "Signature expired" errors say `- 15 min.`). */
  maxSkewMs?: number;
}

export type VerifyResult = { ok: true; accessKeyId: string } | { ok: false; fault: SnsFault };

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function verifySigV4(req: SignableRequest, opts: VerifyOptions): VerifyResult {
  const fail = (fault: SnsFault): VerifyResult => ({ ok: false, fault });
  const header = (name: string): string | undefined => req.headers.find(([n]) => n.toLowerCase() === name)?.[1];

  const authorization = header('authorization');
  if (authorization === undefined) return fail(snsErrors.missingAuthenticationToken());
  const space = authorization.indexOf(' ');
  const algorithm = space === -1 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) {
    return fail(snsErrors.incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'`));
  }
  const parts = new Map<string, string>();
  for (const piece of authorization.slice(space + 1).split(',')) {
    const eq = piece.indexOf('=');
    if (eq !== -1) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = parts.get('Credential');
  const signedHeadersText = parts.get('SignedHeaders');
  const given = parts.get('Signature');
  const dateText = header('x-amz-date') ?? dateHeaderAsAmz(header('date'));
  const missing = [
    credential === undefined ? "Authorization header requires 'Credential' parameter." : null,
    given === undefined ? "Authorization header requires 'Signature' parameter." : null,
    signedHeadersText === undefined ? "Authorization header requires 'SignedHeaders' parameter." : null,
    dateText === undefined
      ? "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
      : null,
  ].filter((m): m is string => m !== null);
  if (missing.length > 0 || !credential || !signedHeadersText || !given || !dateText) {
    return fail(snsErrors.incompleteSignature(`${missing.join(' ')} Authorization=${algorithm}`));
  }

  const [accessKeyId = '', date = '', region = '', service = '', terminator = '', ...extra] = credential.split('/');
  if (extra.length > 0 || terminator === '') {
    return fail(
      snsErrors.incompleteSignature(
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
      ),
    );
  }
  if (region !== opts.region) {
    return fail(snsErrors.signatureDoesNotMatch(`Credential should be scoped to a valid region, not '${region}'. `));
  }
  if (service !== opts.service) {
    return fail(snsErrors.signatureDoesNotMatch(`Credential should be scoped to correct service: '${opts.service}'. `));
  }
  if (terminator !== 'aws4_request') {
    return fail(
      snsErrors.signatureDoesNotMatch(
        `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
      ),
    );
  }
  const m = AMZ_DATE.exec(dateText);
  if (!m) return fail(snsErrors.incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${dateText}'.`));
  if (date !== dateText.slice(0, 8)) {
    return fail(
      snsErrors.signatureDoesNotMatch(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${dateText.slice(0, 8)}', from '${dateText}'.`,
      ),
    );
  }
  const signedHeaders = signedHeadersText.split(';');
  if (!signedHeaders.includes('host')) {
    return fail(
      snsErrors.signatureDoesNotMatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."),
    );
  }

  const secret = opts.secretFor(accessKeyId);
  if (secret === undefined) return fail(snsErrors.invalidClientTokenId());

  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const signedAt = Date.UTC(y, mo - 1, d, h, mi, s);
  const skew = opts.maxSkewMs ?? 15 * 60_000;
  const minutes = Math.round(skew / 60_000);
  if (signedAt < opts.now - skew) {
    return fail(
      snsErrors.signatureDoesNotMatch(
        `Signature expired: ${dateText} is now earlier than ${amzDate(opts.now - skew)} (${amzDate(opts.now)} - ${minutes} min.)`,
      ),
    );
  }
  if (signedAt > opts.now + skew) {
    return fail(
      snsErrors.signatureDoesNotMatch(
        `Signature not yet current: ${dateText} is still later than ${amzDate(opts.now + skew)} (${amzDate(opts.now)} + ${minutes} min.)`,
      ),
    );
  }

  const scope: Scope = { date, region, service };
  const expected = signature(secret, scope, stringToSign(dateText, scope, canonicalRequest(req, signedHeaders)));
  if (!sameText(given, expected)) return fail(snsErrors.signatureDoesNotMatch());
  return { ok: true, accessKeyId };
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  // The expected length is fixed (64 hex digits), so an early exit on length leaks nothing.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** An HTTP `Date` header stands in for `X-Amz-Date` when the latter is absent. */
function dateHeaderAsAmz(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? value : amzDate(at);
}
