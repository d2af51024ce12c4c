/**
 * @module providers/tencent/status-webhook
 * Tencent's delivery reports ("短信下发状态通知", providers.md §4.4): a POST of a JSON array, several
 * reports per request, keyed by `sid` = the SerialNo SendSms returned.
 *
 * Tencent signs nothing on these callbacks. So the operator registers the callback URL with a
 * secret in its query, `…/webhooks/tencent/status?token=<callbackToken>`, and `verify` compares
 * that token with ours in constant time (../callback-token.ts). It is only as secret as the URL:
 * serve it over HTTPS.
 *
 * Tencent expects the reply `{"result":0,"errmsg":"OK"}`; it retries otherwise.
 */
import type { StatusEvent } from '../../core/status-event.js';
import type { Clock } from '../../ports/clock.js';
import type { RawRequest, StatusWebhook } from '../../ports/provider.js';
import { parseBeijingTime } from '../beijing-time.js';
import { callbackTokenCheck } from '../callback-token.js';

/** The reply body Tencent waits for after a callback. */
export const CALLBACK_ACK = '{"result":0,"errmsg":"OK"}';

export function createTencentStatusWebhook(opts: { callbackToken: string; clock: Clock }): StatusWebhook {
  return {
    ack: { contentType: 'application/json', body: CALLBACK_ACK },
    verify: callbackTokenCheck(opts.callbackToken),

    parse(req: RawRequest): StatusEvent[] {
      let json: unknown;
      try {
        json = JSON.parse(req.rawBody);
      } catch {
        return [];
      }
      const reports = Array.isArray(json) ? json : [json];
      const events: StatusEvent[] = [];
      for (const r of reports) {
        const event = toEvent(r, opts.clock);
        if (event) events.push(event);
      }
      return events;
    },
  };
}

function toEvent(report: unknown, clock: Clock): StatusEvent | null {
  if (typeof report !== 'object' || report === null) return null;
  const r = report as Record<string, unknown>;
  const sid = text(r.sid);
  const reportStatus = text(r.report_status)?.toUpperCase();
  if (!sid || (reportStatus !== 'SUCCESS' && reportStatus !== 'FAIL')) return null;
  const errmsg = text(r.errmsg);
  const description = text(r.description);
  const receivedRaw = text(r.user_receive_time);
  const receivedAt = receivedRaw ? parseBeijingTime(receivedRaw) : null;
  const delivered = reportStatus === 'SUCCESS';
  return {
    providerMessageId: sid,
    status: delivered ? 'delivered' : 'undelivered',
    errorCode: delivered ? null : (errmsg ?? 'FAIL'),
    errorMessage: delivered ? null : (description ?? null),
    at: receivedAt ?? clock.now(),
    detail: {
      tencentStatus: reportStatus,
      ...(errmsg ? { errmsg } : {}),
      ...(description ? { description } : {}),
      ...(receivedRaw ? { userReceiveTime: receivedRaw } : {}),
      ...(text(r.nationcode) ? { nationcode: text(r.nationcode) } : {}),
    },
  };
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'number') return String(v);
  return null;
}
