/**
 * @module http/routes/twilio-compat/basic-auth
 * Twilio's authentication: HTTP Basic with the Account SID as user name and the Auth Token as
 * password, and the `{AccountSid}` of the path must be that same account. Anything else is Twilio's
 * 20003, so the caller's SDK reports it as the authentication failure it is.
 */
import type { FastifyRequest } from 'fastify';
import type { TwilioCompatVerifier } from '../../../app/twilio-compat/credentials.js';
import { twilioErrors } from '../../../app/twilio-compat/twilio-errors.js';
import type { TwilioCompatAccount } from '../../../ports/twilio-compat.js';

export function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function authenticate(req: FastifyRequest, verifier: TwilioCompatVerifier): Promise<TwilioCompatAccount> {
  const given = basicCredentials(req.headers.authorization);
  const account = given ? await verifier.verify(given.user, given.password) : null;
  if (!account) throw twilioErrors.authenticate();
  const pathSid = (req.params as { AccountSid?: string }).AccountSid;
  if (pathSid !== account.sid) throw twilioErrors.authenticate();
  return account;
}
