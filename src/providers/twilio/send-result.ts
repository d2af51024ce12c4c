/**
 * @module providers/twilio/send-result
 * Reads the Message resource Twilio answers a create with (HTTP 201) into our `SendResult`. Only the
 * few fields we act on are read; Twilio adds fields freely and none of them may break a send.
 */
import { ProviderError } from '../../core/provider-error.js';
import type { SendResult } from '../../ports/provider.js';
import { describeDeliveryError, TwilioApiError, twilioUnreadableSuccess } from './errors.js';

const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

export function sendResultFromCreated(httpStatus: number, body: string): SendResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw twilioUnreadableSuccess(httpStatus, body);
  }
  const m = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof m.sid !== 'string' || !MESSAGE_SID.test(m.sid)) throw twilioUnreadableSuccess(httpStatus, body);

  const status = typeof m.status === 'string' ? m.status : 'queued';
  if (status === 'failed' || status === 'undelivered' || status === 'canceled') {
    // Rare, but Twilio may refuse at once and still answer 201 with the resource.
    const code = typeof m.error_code === 'number' ? m.error_code : null;
    const info = describeDeliveryError(code);
    const message = typeof m.error_message === 'string' ? m.error_message : `Twilio created the message as ${status}`;
    throw new ProviderError(info?.kind ?? 'permanent', `Twilio ${code ?? status}: ${message}`, {
      providerCode: code,
      cause: new TwilioApiError(httpStatus, code, message, null, { sid: m.sid, status }),
    });
  }

  return {
    providerMessageId: m.sid,
    status: status === 'sending' || status === 'sent' || status === 'delivered' ? 'sent' : 'queued',
    price: parsePrice(m.price, m.price_unit),
  };
}

/** Twilio bills as a negative decimal string ("-0.00750"); we keep the cost as a positive amount. */
function parsePrice(price: unknown, unit: unknown): SendResult['price'] {
  if ((typeof price !== 'string' || price.trim() === '') && typeof price !== 'number') return null;
  const amount = Math.abs(Number(price));
  if (!Number.isFinite(amount)) return null;
  return { amount, currency: typeof unit === 'string' ? unit.toUpperCase() : 'USD' };
}
