/**
 * @module app/record-conversion
 * The application tells us a message worked: a booking was confirmed, an order paid. A conversion
 * names its message directly or by the caller's reference (the newest message with it), and may
 * carry a value. Reporting twice is safe: with the same `id`, the second report is answered with
 * the first and counts nothing; the same id for a different message or event is a conflict.
 */
import { randomUUID } from 'node:crypto';
import { TidingsError } from '../core/errors.js';
import type { AnalyticsStore, ConversionInput } from '../ports/analytics-store.js';
import type { Clock } from '../ports/clock.js';

export interface ConversionRequest {
  id?: string;
  messageId?: string;
  reference?: string;
  event: string;
  value?: number;
  currency?: string;
  /** RFC 3339; when it happened, if not now. */
  at?: string;
}

export interface ConversionView {
  id: string;
  messageId: string;
  event: string;
  value: number | null;
  currency: string | null;
  at: string;
}

const view = (c: ConversionInput): ConversionView => ({
  id: c.id,
  messageId: c.messageId,
  event: c.event,
  value: c.value,
  currency: c.currency,
  at: new Date(c.at).toISOString(),
});

export async function recordConversion(
  deps: { analytics: AnalyticsStore; clock: Clock },
  req: ConversionRequest,
): Promise<{ statusCode: 200 | 201; body: ConversionView; replayed: boolean }> {
  if ((req.messageId === undefined) === (req.reference === undefined)) {
    throw new TidingsError('validation_failed', 'Give either messageId or reference.', 'messageId');
  }
  if (req.currency !== undefined && req.value === undefined) {
    throw new TidingsError('validation_failed', 'A currency goes with a value.', 'currency');
  }
  const at = req.at === undefined ? deps.clock.now() : Date.parse(req.at);
  if (Number.isNaN(at)) throw new TidingsError('validation_failed', 'at is not a real time.', 'at');
  const messageId = req.messageId ?? (await deps.analytics.messageByReference(req.reference as string));
  if (messageId === null) throw new TidingsError('not_found', 'No message has this reference.', 'reference');
  const input: ConversionInput = {
    id: req.id ?? `cv_${randomUUID().replace(/-/g, '')}`,
    messageId,
    event: req.event,
    value: req.value ?? null,
    currency: req.currency?.toUpperCase() ?? null,
    source: 'api',
    at,
  };
  const result = await deps.analytics.recordConversion(input);
  if (result === null) throw new TidingsError('not_found', 'No message has this id.', 'messageId');
  if (!result.stored) {
    const prior = result.conversion;
    if (prior.messageId !== input.messageId || prior.event !== input.event) {
      throw new TidingsError('idempotency_conflict', 'This conversion id was used for another message or event.', 'id');
    }
    return { statusCode: 200, body: view(prior), replayed: true };
  }
  return { statusCode: 201, body: view(input), replayed: false };
}
