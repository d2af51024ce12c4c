/**
 * @module providers/tencent/status-webhook
 * Tencent's delivery reports ("短信下发状态通知", providers.md §4.4): a POST of a JSON array, several
 * reports per request, keyed by `sid` = the SerialNo SendSms returned.
 *
 * Tencent signs nothing on these callbacks. So the operator registers the callback URL with a
 * secret in its query, `…/webhooks/tencent/status?token=<callbackToken>`, and `verify` compares
 * that token with ours in constant time (../report-webhook.ts). It is only as secret as the URL:
 * serve it over HTTPS.
 *
 * Tencent expects the reply `{"result":0,"errmsg":"OK"}`; it retries otherwise.
 */
import type { StatusEvent } from '../../core/status-event.js';
import type { Clock } from '../../ports/clock.js';
import type { StatusWebhook } from '../../ports/provider.js';
import { parseBeijingTime } from '../beijing-time.js';
import { createReportWebhook } from '../report-webhook.js';

/** The reply body Tencent waits for after a callback. */
export const CALLBACK_ACK = '{"result":0,"errmsg":"OK"}';

export function createTencentStatusWebhook(opts: { callbackToken: string; clock: Clock }): StatusWebhook {
  return createReportWebhook({
    callbackToken: opts.callbackToken,
    ack: CALLBACK_ACK,
    toEvent: (report) => toEvent(report, opts.clock),
  });
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
