/**
 * @module providers/aliyun/send-result
 * Reads a SendSms answer (providers.md §3.2) into our `SendResult`, or the classified error.
 * Aliyun answers HTTP 200 both for a send and for a business refusal (`Code` other than "OK"), and
 * 4xx/5xx with the same `Code`/`Message` fields when its gateway refuses; so the body's `Code`
 * decides first, and the status only when there is no Aliyun body at all.
 */
import type { SendResult } from '../../ports/provider.js';
import type { HttpAnswer } from '../http-client.js';
import { headerValue } from '../http-status.js';
import { aliyunError, aliyunHttpError, aliyunUnreadableSuccess } from './errors.js';

export function sendResultFromResponse(res: HttpAnswer, now: number): SendResult {
  const body = parseObject(res.body);
  const code = typeof body?.Code === 'string' && body.Code !== '' ? body.Code : null;
  if (body === null || code === null) {
    if (res.status >= 200 && res.status < 300) throw aliyunUnreadableSuccess(res.status, res.body);
    throw aliyunHttpError(res.status, res.headers, res.body, now);
  }
  if (code !== 'OK' || res.status < 200 || res.status >= 300) {
    throw aliyunError(code, typeof body.Message === 'string' ? body.Message : '', {
      requestId: typeof body.RequestId === 'string' ? body.RequestId : null,
      httpStatus: res.status,
      recommend: typeof body.Recommend === 'string' ? body.Recommend : null,
      retryAfterHeader: headerValue(res.headers, 'x-acs-retry-after'),
      now,
    });
  }
  if (typeof body.BizId !== 'string' || body.BizId === '') throw aliyunUnreadableSuccess(res.status, res.body);
  // "OK" means handed on towards the carrier; the delivery report (SmsReport) comes later, keyed by
  // this BizId. Aliyun reports no price at send time.
  return { providerMessageId: body.BizId, status: 'sent', price: null };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
