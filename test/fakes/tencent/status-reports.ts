/**
 * @module test/fakes/tencent/status-reports
 * Delivery reports the way Tencent pushes them (providers.md §4.4): to the one callback URL set in
 * the console (not per request), as a JSON array that batches several reports, unsigned. Tencent
 * wants `{"result":0,"errmsg":"OK"}` back; each push is recorded with what the receiver answered.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { beijingTimestamp, ReportPusher, type PushRecord } from '../shared/report-pusher.js';

/** One report, Tencent's field names. */
export interface TencentReport {
  user_receive_time: string;
  nationcode: string;
  mobile: string;
  report_status: 'SUCCESS' | 'FAIL';
  errmsg: string;
  description: string;
  sid: string;
}

/** One push, with what the receiver answered. */
export type CallbackRecord = PushRecord<TencentReport>;

/** The report Tencent pushes for one sent number, delivered or not. */
export function reportFor(
  sid: string,
  number: string,
  outcome: { delivered: boolean; errmsg?: string | undefined },
  at: number,
): TencentReport {
  const phone = parsePhoneNumberFromString(number);
  const { delivered } = outcome;
  return {
    user_receive_time: beijingTimestamp(at),
    nationcode: phone?.countryCallingCode ?? '86',
    mobile: phone?.nationalNumber ?? number.replace(/^\+/, ''),
    report_status: delivered ? 'SUCCESS' : 'FAIL',
    errmsg: delivered ? 'DELIVRD' : (outcome.errmsg ?? 'UNDELIV'),
    description: delivered ? '用户短信送达成功' : '用户短信未送达',
    sid,
  };
}

export function statusReportPusher(
  callbackUrl: () => string | null,
  delayMs: () => number,
): ReportPusher<TencentReport> {
  return new ReportPusher<TencentReport>({
    url: callbackUrl,
    delayMs,
    contentType: 'application/json',
    acknowledges: (status, body) => status === 200 && acknowledges(body),
  });
}

function acknowledges(body: string): boolean {
  try {
    const json = JSON.parse(body) as { result?: unknown };
    return json.result === 0 || json.result === '0';
  } catch {
    return false;
  }
}
