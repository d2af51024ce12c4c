/**
 * @module test/fakes/webpush/vapid
 * What a push service checks in `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292): a compact JWS
 * with `alg` ES256, signed by the key in `k`; `aud` the origin of the push resource; `exp` in the
 * future and no more than 24 hours ahead; a `sub` contact that is a mailto: or https: URI.
 */
import { createPublicKey, verify } from 'node:crypto';

export type VapidCheck =
  { ok: true; publicKey: string; subject: string; expiresAt: number } | { ok: false; reason: string };

const MAX_LIFETIME_S = 24 * 60 * 60;

export function checkVapid(authorization: string | undefined, audience: string, nowMs: number): VapidCheck {
  const m = /^vapid\s+(.+)$/i.exec(authorization ?? '');
  if (!m?.[1]) return { ok: false, reason: 'no vapid Authorization' };
  const params = new Map<string, string>();
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const token = params.get('t');
  const k = params.get('k');
  if (!token || !k) return { ok: false, reason: 'vapid needs t= and k=' };

  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04) return { ok: false, reason: 'k is not an uncompressed P-256 point' };
  let key;
  try {
    key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
  } catch {
    return { ok: false, reason: 'k is not on the P-256 curve' };
  }

  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 't is not a compact JWS' };
  const [head = '', body = '', signature = ''] = parts;
  const header = json(head);
  if (header?.alg !== 'ES256') return { ok: false, reason: 'alg must be ES256' };
  const signed = verify(
    'sha256',
    Buffer.from(`${head}.${body}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return { ok: false, reason: 'bad signature' };

  const claims = json(body);
  if (!claims) return { ok: false, reason: 'claims are not JSON' };
  if (claims.aud !== audience) return { ok: false, reason: `aud must be ${audience}` };
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) return { ok: false, reason: 'expired' };
  if (claims.exp > now + MAX_LIFETIME_S) return { ok: false, reason: 'exp more than 24 hours ahead' };
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) {
    return { ok: false, reason: 'sub must be a mailto: or https: URI' };
  }
  return { ok: true, publicKey: k, subject: claims.sub, expiresAt: claims.exp * 1000 };
}

function json(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
