/**
 * @module providers/twilio-voice/status-webhook
 * Twilio's call status callbacks turned into our status vocabulary. They are signed exactly like the
 * SMS ones (`X-Twilio-Signature`, providers.md §1.6), so verification is the SMS webhook's. We ask
 * only for the `completed` event, whose `CallStatus` says how the call ended: answered and read
 * (`completed` → delivered), or not (`busy`, `no-answer`, `failed`, `canceled` → undelivered, with that
 * status as the error code). Progress statuses (`ringing`, `in-progress`, …) produce no event.
 */
import type { MessageStatus } from '../../core/message.js';
import type { StatusEvent } from '../../core/status-event.js';
import type { Clock } from '../../ports/clock.js';
import type { RawRequest, StatusWebhook } from '../../ports/provider.js';
import { createTwilioStatusWebhook } from '../twilio/status-webhook.js';

const ENDINGS: Readonly<Record<string, { status: MessageStatus; meaning: string | null }>> = {
  completed: { status: 'delivered', meaning: null },
  busy: { status: 'undelivered', meaning: 'the line was busy' },
  'no-answer': { status: 'undelivered', meaning: 'nobody answered' },
  failed: { status: 'undelivered', meaning: 'the call could not be connected' },
  canceled: { status: 'undelivered', meaning: 'the call was canceled before it was answered' },
};

export function createTwilioVoiceStatusWebhook(opts: { authToken: string; clock: Clock }): StatusWebhook {
  const signed = createTwilioStatusWebhook(opts);
  return {
    verify: (req) => signed.verify(req),

    parse(req: RawRequest): StatusEvent[] {
      const p = req.method.toUpperCase() === 'GET' ? queryOf(req.url) : new URLSearchParams(req.rawBody);
      const sid = p.get('CallSid');
      const callStatus = p.get('CallStatus')?.toLowerCase();
      const ending = callStatus ? ENDINGS[callStatus] : undefined;
      if (!sid || !callStatus || !ending) return [];

      const detail: Record<string, unknown> = { twilioCallStatus: callStatus };
      const duration = p.get('CallDuration');
      if (duration && /^\d+$/.test(duration)) detail.callDurationSeconds = Number(duration);
      for (const [param, key] of [
        ['AnsweredBy', 'answeredBy'],
        ['SipResponseCode', 'sipResponseCode'],
        ['Timestamp', 'twilioTimestamp'],
      ] as const) {
        const value = p.get(param);
        if (value) detail[key] = value;
      }
      const token = header(req, 'i-twilio-idempotency-token');
      if (token) detail.idempotencyToken = token;

      return [
        {
          providerMessageId: sid,
          status: ending.status,
          errorCode: ending.status === 'delivered' ? null : callStatus,
          errorMessage: ending.meaning,
          at: opts.clock.now(),
          detail,
        },
      ];
    },
  };
}

function header(req: RawRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(req.headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function queryOf(url: string): URLSearchParams {
  const q = url.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
}
