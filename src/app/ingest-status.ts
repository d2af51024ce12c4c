/**
 * @module app/ingest-status
 * Delivery reports from providers. A webhook is believed only after one of the configured
 * providers of that kind verifies its signature; then its reports are applied monotonically.
 * A report about a message id we do not know yet is parked and tried again (app/early-reports):
 * providers can call back before our own record of the send has committed.
 */
import { TidingsError } from '../core/errors.js';
import type { StatusEvent } from '../core/status-event.js';
import type { RawRequest } from '../ports/provider.js';
import type { AppDeps } from './deps.js';
import { publish, statusEvent } from './publish-events.js';

export interface ReportsApplied {
  /** Reports that changed a message's status. */
  applied: number;
  /** Reports about no message we know (yet). */
  unknown: StatusEvent[];
}

/** Applies verified reports; `park` (the default) keeps the unknown ones for another try. */
export async function applyStatusReports(
  deps: AppDeps,
  providerId: string,
  reports: StatusEvent[],
  opts: { park: boolean } = { park: true },
): Promise<ReportsApplied> {
  const results = await deps.store.applyStatus(providerId, reports);
  for (const r of results) {
    if (r.applied) deps.metrics.statusChanged(r.provider ?? providerId, r.channel, r.status);
  }
  const at = deps.clock.now();
  publish(
    deps,
    results
      .filter((r) => r.applied)
      .map((r) =>
        statusEvent(r.status, at, { messageId: r.messageId, channel: r.channel, provider: r.provider ?? providerId }),
      ),
  );
  // Undelivered on this channel: move to the next one where the caller gave one (a no-op otherwise).
  const lost = results.filter((r) => r.applied && (r.status === 'undelivered' || r.status === 'failed'));
  if (lost.length > 0) {
    const moved = await deps.store.fallBack(
      lost.map((r) => ({ id: r.messageId, at, reason: { trigger: r.status, provider: r.provider ?? providerId } })),
    );
    for (const m of moved) deps.metrics.fellBack(m.from, m.to);
    publish(
      deps,
      moved.map((m) => ({ type: 'message.fallback' as const, at, data: { messageId: m.id, from: m.from, to: m.to } })),
    );
    if (moved.length > 0) deps.queue.announce(moved.map((m) => m.id));
  }
  const matched = new Set(results.map((r) => r.providerMessageId));
  const unknown = reports.filter((r) => !matched.has(r.providerMessageId));
  if (unknown.length > 0 && opts.park) {
    await deps.earlyReports.park(providerId, unknown, at);
    deps.logger.debug(
      { provider: providerId, unknown: unknown.length },
      'parked reports for message ids not known yet',
    );
  }
  return { applied: results.filter((r) => r.applied).length, unknown };
}

const TWIML_ACK = { contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response/>' };

export interface WebhookOutcome {
  applied: number;
  /** What to answer the provider with. */
  ack: { contentType: string; body: string };
}

export async function ingestStatusWebhook(deps: AppDeps, kind: string, req: RawRequest): Promise<WebhookOutcome> {
  const candidates = deps.providers.filter((p) => p.kind === kind && p.statusWebhook);
  if (candidates.length === 0) throw new TidingsError('not_found', `No ${kind} provider takes status callbacks here.`);
  const provider = candidates.find((p) => p.statusWebhook?.verify(req));
  if (!provider?.statusWebhook) {
    deps.logger.warn({ provider: kind }, 'rejected a status callback with a bad or missing signature');
    throw new TidingsError('invalid_signature');
  }
  const { applied } = await applyStatusReports(deps, provider.id, provider.statusWebhook.parse(req));
  return { applied, ack: provider.statusWebhook.ack ?? TWIML_ACK };
}
