/**
 * @module providers/twilio/status-webhook
 * Twilio's status callbacks (providers.md §1.3) checked and turned into our status vocabulary. Twilio
 * adds parameters without notice and may deliver out of order, so the signature covers every
 * parameter received, unknown statuses produce no event, and nothing here throws on odd input.
 */
import type { MessageStatus } from '../../core/message.js';
import type { StatusEvent } from '../../core/status-event.js';
import type { Clock } from '../../ports/clock.js';
import type { RawRequest, StatusWebhook } from '../../ports/provider.js';
import { describeDeliveryError } from './errors.js';
import { header, requestParams, verifyTwilioRequest } from './verify-request.js';

/** Twilio's status names mapped onto ours; anything else (receiving, partially_delivered, …) is skipped. */
const STATUSES: Readonly<Record<string, MessageStatus>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'canceled',
};

export function createTwilioStatusWebhook(opts: { authToken: string; clock: Clock }): StatusWebhook {
  return {
    verify: (req: RawRequest): boolean => verifyTwilioRequest(opts.authToken, req),

    parse(req: RawRequest): StatusEvent[] {
      const p = requestParams(req);
      const sid = p.get('MessageSid') || p.get('SmsSid');
      const twilioStatus = (p.get('MessageStatus') || p.get('SmsStatus'))?.toLowerCase();
      const status = twilioStatus ? STATUSES[twilioStatus] : undefined;
      if (!sid || !status) return [];

      const errorCode = p.get('ErrorCode') || null;
      const info = describeDeliveryError(errorCode);
      const detail: Record<string, unknown> = { twilioStatus };
      if (info) Object.assign(detail, { errorKind: info.kind, retryable: info.retryable });
      const dlr = p.get('RawDlrDoneDate');
      if (dlr) Object.assign(detail, { rawDlrDoneDate: dlr, carrierDoneAt: dlrDate(dlr) });
      const service = p.get('MessagingServiceSid');
      if (service) detail.messagingServiceSid = service;
      const channelStatus = p.get('ChannelStatusMessage');
      if (channelStatus) detail.channelStatusMessage = channelStatus;
      const token = header(req, 'i-twilio-idempotency-token');
      if (token) detail.idempotencyToken = token;

      return [
        {
          providerMessageId: sid,
          status,
          errorCode,
          errorMessage: p.get('ErrorMessage') || info?.meaning || null,
          at: opts.clock.now(),
          detail,
        },
      ];
    },
  };
}

/** `YYMMDDhhmm` (UTC, per Twilio's samples) → ISO-8601, or null when it does not look like one. */
function dlrDate(raw: string): string | null {
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(raw);
  if (!m) return null;
  const [, yy, mo, dd, hh, mi] = m.map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(2000 + yy, mo - 1, dd, hh, mi);
  const d = new Date(t);
  if (d.getUTCMonth() !== mo - 1 || d.getUTCDate() !== dd || hh > 23 || mi > 59) return null;
  return d.toISOString();
}
