/**
 * @module app/ingest-inbound
 * Inbound webhooks: believed only once a configured provider of that kind verifies them, then each
 * message is handled, and the provider gets its answer in its own form (TwiML for Twilio).
 */
import { TidingsError } from '../core/errors.js';
import type { RawRequest } from '../ports/provider.js';
import type { AppDeps } from './deps.js';
import { handleInbound } from './handle-inbound.js';

export async function ingestInboundWebhook(
  deps: AppDeps,
  kind: string,
  req: RawRequest,
): Promise<{ contentType: string; body: string }> {
  const candidates = deps.providers.filter((p) => p.kind === kind && p.inboundWebhook);
  if (candidates.length === 0) throw new TidingsError('not_found', `No ${kind} provider takes inbound messages here.`);
  const provider = candidates.find((p) => p.inboundWebhook?.verify(req));
  if (!provider?.inboundWebhook) {
    deps.logger.warn({ provider: kind }, 'rejected an inbound webhook with a bad or missing signature');
    throw new TidingsError('invalid_signature');
  }
  let reply: string | null = null;
  for (const sms of provider.inboundWebhook.parse(req)) {
    reply = (await handleInbound(deps, provider.id, sms)) ?? reply;
  }
  return provider.inboundWebhook.respond(reply);
}
