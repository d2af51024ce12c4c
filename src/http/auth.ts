/**
 * @module http/auth
 * Bearer API keys on every /v1 route. What a key may do is its role: `read` keys read, `send`
 * keys also send and cancel, `admin` keys do everything. Webhook routes are not here: they are
 * public and trust only provider signatures.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeyVerifier, Principal } from '../app/api-keys.js';
import { TidingsError } from '../core/errors.js';
import type { ApiKeyRole } from '../ports/api-keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The least role a route needs; routes without one are public. */
    role?: ApiKeyRole;
  }
}

const RANK: Record<ApiKeyRole, number> = { read: 0, send: 1, admin: 2 };

export function allows(have: ApiKeyRole, need: ApiKeyRole): boolean {
  return RANK[have] >= RANK[need];
}

function bearer(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

export function registerAuth(app: FastifyInstance, verifier: ApiKeyVerifier): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const need = req.routeOptions.config?.role;
    if (!need) return;
    const key = bearer(req);
    const principal = key ? await verifier.verify(key) : null;
    if (!principal) throw new TidingsError('unauthorized');
    if (!allows(principal.role, need)) throw new TidingsError('forbidden', `This needs a ${need} key.`);
    req.principal = principal;
  });
}
