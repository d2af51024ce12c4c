/**
 * @module test/fakes/aliyun/sms-reports
 * SmsReport the way Aliyun pushes it in "HTTP batch push" mode (providers.md §3.5): to the one URL
 * set in the console, as a JSON array batching several reports, unsigned. Aliyun wants HTTP 200
 * with a numeric `code` of 0 back (`{"code":0,"msg":"接收成功"}`); otherwise it pushes the same
 * batch again after 1, 5 and 10 minutes, then gives up. Every push is recorded with the answer.
 */
import { ReportPusher, type PushRecord } from '../shared/report-pusher.js';

export { beijingTimestamp } from '../shared/report-pusher.js';

/** One report, Aliyun's field names. */
export interface SmsReport {
  phone_number: string;
  send_time: string;
  report_time: string;
  success: boolean;
  err_code: string;
  err_msg: string;
  sms_size: string;
  biz_id: string;
  out_id: string;
}

/** One push; `attempt` is 1 for the first push of a batch, 2–4 for Aliyun's re-pushes. */
export type ReportPush = PushRecord<unknown>;

/** Aliyun's re-push schedule: 1, 5 and 10 minutes after a push that was not acknowledged. */
export const ALIYUN_RETRY_DELAYS_MS = [60_000, 300_000, 600_000];

export function smsReportPusher(
  reportUrl: () => string | null,
  delayMs: () => number,
  retryDelaysMs: () => readonly number[],
): ReportPusher<SmsReport> {
  return new ReportPusher<SmsReport>({
    url: reportUrl,
    delayMs,
    retryDelaysMs,
    contentType: 'application/json;charset=utf-8',
    acknowledges: (status, body) => status === 200 && acknowledges(body),
  });
}

function acknowledges(body: string): boolean {
  try {
    return (JSON.parse(body) as { code?: unknown }).code === 0;
  } catch {
    return false;
  }
}
