/**
 * @module http/routes/webhooks
 * Provider callbacks. Public routes: the body is kept raw, because signatures are computed over
 * the exact bytes (and the exact public URL) the provider used; nothing is believed before the
 * provider's verifier says yes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { ingestInboundWebhook } from '../../app/ingest-inbound.js';
import { ingestStatusWebhook } from '../../app/ingest-status.js';
import type { RawRequest } from '../../ports/provider.js';

export interface WebhookRouteOptions {
  deps: AppDeps;
  /** The scheme, host and port the providers call (behind a proxy, not what we listen on). */
  publicUrl: string;
}

/** The request as the provider sent it, at the URL the provider called (signatures cover both). */
function rawRequest(req: FastifyRequest, publicUrl: string): RawRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
  return {
    url: `${publicUrl}${req.url}`,
    method: req.method,
    headers,
    rawBody: typeof req.body === 'string' ? req.body : '',
  };
}

export async function webhookRoutes(app: FastifyInstance, opts: WebhookRouteOptions): Promise<void> {
  // Raw text for forms (Twilio) and JSON (others, later); each provider parses its own.
  app.addContentTypeParser(
    ['application/x-www-form-urlencoded', 'application/json'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  );

  app.post('/webhooks/:provider/status', { schema: { hide: true }, bodyLimit: 256 * 1024 }, async (req, res) => {
    const kind = (req.params as { provider: string }).provider;
    const { ack } = await ingestStatusWebhook(opts.deps, kind, rawRequest(req, opts.publicUrl));
    return res.status(200).type(ack.contentType).send(ack.body);
  });

  app.post('/webhooks/:provider/inbound', { schema: { hide: true }, bodyLimit: 256 * 1024 }, async (req, res) => {
    const kind = (req.params as { provider: string }).provider;
    const answer = await ingestInboundWebhook(opts.deps, kind, rawRequest(req, opts.publicUrl));
    return res.status(200).type(answer.contentType).send(answer.body);
  });
}
