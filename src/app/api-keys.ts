/**
 * @module app/api-keys
 * API keys: `tk_<prefix>_<secret>`. The prefix finds the record; the SHA-256 of the whole key is
 * what is stored and compared, in constant time. A slow password hash is not needed: keys are
 * 190 bits of randomness, not something a person chose.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyRole } from '../ports/api-keys.js';
import type { AppDeps } from './deps.js';

export interface Principal {
  keyId: string;
  role: ApiKeyRole;
}

const KEY_SHAPE = /^tk_([a-z0-9]{8})_([A-Za-z0-9_-]{32})$/;
// A verified key is remembered briefly so the hot path does not read the database per request;
// a revocation made in another process takes effect within this window.
const CACHE_TTL_MS = 5_000;

// One-shot: half the time of createHash().update().digest(), and it runs on every request.
const sha256 = (s: string): Buffer => hash('sha256', s, 'buffer');

export function hashKey(key: string): string {
  return sha256(key).toString('hex');
}

export async function createApiKey(
  deps: Pick<AppDeps, 'apiKeys' | 'ids' | 'clock'>,
  name: string,
  role: ApiKeyRole,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const prefix = randomBytes(6).toString('hex').slice(0, 8);
  const key = `tk_${prefix}_${randomBytes(24).toString('base64url')}`;
  const record: ApiKeyRecord = {
    id: deps.ids.apiKey(),
    name,
    prefix,
    hash: hashKey(key),
    role,
    createdAt: deps.clock.now(),
    revokedAt: null,
  };
  await deps.apiKeys.insert(record);
  return { key, record };
}

export class ApiKeyVerifier {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  private readonly envKeyHash: Buffer | null;

  constructor(
    private readonly deps: Pick<AppDeps, 'apiKeys' | 'clock'>,
    envKey: string | undefined,
  ) {
    this.envKeyHash = envKey ? sha256(envKey) : null;
  }

  /** The principal a presented key stands for, or null. */
  async verify(presented: string): Promise<Principal | null> {
    const presentedHash = sha256(presented);
    if (this.envKeyHash && timingSafeEqual(presentedHash, this.envKeyHash)) return { keyId: 'env', role: 'admin' };
    const match = KEY_SHAPE.exec(presented);
    if (!match?.[1]) return null;
    const now = this.deps.clock.now();
    const cacheKey = presentedHash.toString('hex');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > now) return cached.principal;
    const record = await this.deps.apiKeys.findByPrefix(match[1]);
    const ok =
      record !== null && record.revokedAt === null && timingSafeEqual(Buffer.from(record.hash, 'hex'), presentedHash);
    const principal = ok && record ? { keyId: record.id, role: record.role } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(cacheKey, { principal, until: now + CACHE_TTL_MS });
    return principal;
  }

  forget(): void {
    this.cache.clear();
  }
}
