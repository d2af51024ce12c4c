/**
 * @module http/rate-limit
 * Requests per API key (TIDINGS_API_REQUEST_LIMIT), checked after authentication so that only a
 * known key is counted. Answers carry the rate-limit fields of the IETF draft
 * (draft-ietf-httpapi-ratelimit-headers-06, the version most clients read): `RateLimit-Limit`,
 * `RateLimit-Remaining`, `RateLimit-Reset` (seconds until the window ends) and
 * `RateLimit-Policy` (`6000;w=60`). Over the limit: 429 `rate_limited` with `Retry-After`.
 * With no request limit configured, no hook is added at all.
 */
import type { FastifyInstance } from 'fastify';
import type { Protection } from '../app/protection.js';
import { TidingsError } from '../core/errors.js';

export function registerRateLimit(app: FastifyInstance, protection: Protection): void {
  if (protection.policy.apiRequests === null) return;
  app.addHook('onRequest', async (req, reply) => {
    if (!req.principal) return; // a public route: nothing to count against
    const a = await protection.apiRequest(req.principal.keyId);
    if (a === null) return;
    const reset = Math.ceil(a.resetInMs / 1000);
    void reply.headers({
      'ratelimit-limit': a.limit,
      'ratelimit-remaining': a.remaining,
      'ratelimit-reset': reset,
      'ratelimit-policy': `${a.limit};w=${Math.round(a.windowMs / 1000)}`,
    });
    if (!a.allowed) {
      throw new TidingsError(
        'rate_limited',
        `This API key may make ${a.limit} requests per ${Math.round(a.windowMs / 1000)} s (limit api.requests); try again in ${Math.max(1, reset)} s.`,
        undefined,
        { limit: 'api.requests', retryAfterMs: Math.max(1_000, a.resetInMs) },
      );
    }
  });
}
