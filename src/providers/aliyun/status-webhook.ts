/**
 * @module providers/aliyun/status-webhook
 * Aliyun's delivery reports, SmsReport in "HTTP batch push" mode (providers.md §3.5): a POST of a
 * JSON array, several reports per request, keyed by `biz_id` = the BizId SendSms returned.
 *
 * Aliyun signs nothing on these pushes. So the operator registers the report URL in the console
 * with a secret in its query, `…/webhooks/aliyun/status?token=<callbackToken>`, and `verify`
 * compares that token with ours in constant time (../report-webhook.ts). It is only as secret as
 * the URL: serve it over HTTPS (an IP allow-list in front is a further option).
 *
 * Aliyun wants HTTP 200 with `{"code":0,"msg":"接收成功"}` back (only a numeric `code` 0 counts);
 * otherwise it pushes the batch again after 1, 5 and 10 minutes.
 */
import type { StatusEvent } from '../../core/status-event.js';
import type { Clock } from '../../ports/clock.js';
import type { StatusWebhook } from '../../ports/provider.js';
import { parseBeijingTime } from '../beijing-time.js';
import { createReportWebhook } from '../report-webhook.js';

/** The reply body Aliyun waits for after a push. */
export const SMS_REPORT_ACK = '{"code":0,"msg":"接收成功"}';

export function createAliyunStatusWebhook(opts: { callbackToken: string; clock: Clock }): StatusWebhook {
  return createReportWebhook({
    callbackToken: opts.callbackToken,
    ack: SMS_REPORT_ACK,
    toEvent: (report) => toEvent(report, opts.clock),
  });
}

function toEvent(report: unknown, clock: Clock): StatusEvent | null {
  if (typeof report !== 'object' || report === null) return null;
  const r = report as Record<string, unknown>;
  const bizId = text(r.biz_id);
  const success = bool(r.success);
  if (!bizId || success === null) return null;
  const errCode = text(r.err_code);
  const errMsg = text(r.err_msg);
  const reportTime = text(r.report_time);
  const sendTime = text(r.send_time);
  const smsSize = text(r.sms_size);
  const outId = text(r.out_id);
  return {
    providerMessageId: bizId,
    status: success ? 'delivered' : 'undelivered',
    errorCode: success ? null : (errCode ?? 'UNKNOWN'),
    errorMessage: success ? null : errMsg,
    at: (reportTime ? parseBeijingTime(reportTime) : null) ?? clock.now(),
    // The phone number is left out on purpose: the message row already has it, unmasked.
    detail: {
      ...(errCode ? { errCode } : {}),
      ...(errMsg ? { errMsg } : {}),
      ...(sendTime ? { sendTime } : {}),
      ...(reportTime ? { reportTime } : {}),
      ...(smsSize ? { smsSize: Number(smsSize) || smsSize } : {}),
      ...(outId ? { outId } : {}),
    },
  };
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** `success` is a JSON boolean in Aliyun's sample; a string form is read too, defensively. */
function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
}
