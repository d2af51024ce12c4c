/**
 * @module app/twilio-compat/credentials
 * The Account SID and Auth Token pairs Tidings issues for its Twilio-compatible API, shaped like
 * Twilio's own (`AC` + 32 hex, 32 hex) so that code and configuration written for Twilio take them
 * unchanged. A presented token is checked against its SHA-256 in constant time, like API keys
 * (128 random bits need no slow hash). The token itself is also kept, to sign status callbacks the
 * way Twilio does (with the auth token as the HMAC key); docs/twilio-compat.md weighs that risk.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';
import type { TwilioCompatAccount, TwilioCompatAccountStore, TwilioCompatRole } from '../../ports/twilio-compat.js';

export const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

// A verified pair is remembered briefly so the hot path does not read the database per request;
// a revocation made in another process takes effect within this window.
const CACHE_TTL_MS = 5_000;

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export interface IssuedCredentials {
  accountSid: string;
  authToken: string;
  account: TwilioCompatAccount;
}

export async function createTwilioCompatAccount(
  deps: { accounts: TwilioCompatAccountStore; clock: Clock },
  name: string,
  role: TwilioCompatRole,
): Promise<IssuedCredentials> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const account: TwilioCompatAccount = {
    sid: accountSid,
    name,
    role,
    tokenHash: sha256(authToken).toString('hex'),
    createdAt: deps.clock.now(),
    revokedAt: null,
  };
  await deps.accounts.insert(account, authToken);
  return { accountSid, authToken, account };
}

export class TwilioCompatVerifier {
  private readonly cache = new Map<string, { account: TwilioCompatAccount | null; until: number }>();

  constructor(private readonly deps: { accounts: TwilioCompatAccountStore; clock: Clock }) {}

  /** The account an `AccountSid:AuthToken` pair stands for, or null. */
  async verify(accountSid: string, authToken: string): Promise<TwilioCompatAccount | null> {
    if (!ACCOUNT_SID.test(accountSid)) return null;
    const presented = sha256(authToken);
    const now = this.deps.clock.now();
    const cacheKey = sha256(`${accountSid}:${authToken}`).toString('hex');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > now) return cached.account;
    const record = await this.deps.accounts.find(accountSid);
    const ok =
      record !== null && record.revokedAt === null && timingSafeEqual(Buffer.from(record.tokenHash, 'hex'), presented);
    const account = ok ? record : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(cacheKey, { account, until: now + CACHE_TTL_MS });
    return account;
  }

  forget(): void {
    this.cache.clear();
  }
}
