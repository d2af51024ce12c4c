/**
 * @module providers/tencent/send-result
 * Reads a SendSms answer (providers.md §4.2) into our `SendResult`, or the classified error. Tencent
 * answers HTTP 200 both for a refused request (`Response.Error`) and for a number it would not send
 * to (`SendStatusSet[].Code` other than "Ok"), so the body, not the status, says what happened; a
 * non-200 without Tencent's error is a gateway's, classified by its status (../http-status.ts).
 */
import type { SendResult } from '../../ports/provider.js';
import { tencentError, tencentHttpError, tencentUnreadableSuccess } from './errors.js';
import type { HttpAnswer } from '../http-client.js';

export function sendResultFromResponse(res: HttpAnswer, phoneNumber: string, now: number): SendResult {
  const response = field(parseJson(res.body), 'Response');
  const requestId = isObject(response) && typeof response.RequestId === 'string' ? response.RequestId : null;
  // A whole-request error: Tencent's own code wins over whatever status carried it.
  const error = field(response, 'Error');
  if (isObject(error) && typeof error.Code === 'string') {
    const message = typeof error.Message === 'string' ? error.Message : '';
    throw tencentError(error.Code, message, { requestId, httpStatus: res.status, now });
  }
  if (res.status !== 200) throw tencentHttpError(res.status, res.headers, res.body, now);
  if (!isObject(response)) throw tencentUnreadableSuccess(res.status, res.body);

  const set = Array.isArray(response.SendStatusSet) ? response.SendStatusSet.filter(isObject) : [];
  // One number per request; match by number anyway, Tencent may normalize it (+86 added).
  const status = set.find((s) => s.PhoneNumber === phoneNumber) ?? (set.length === 1 ? set[0] : undefined);
  if (!status || typeof status.Code !== 'string') throw tencentUnreadableSuccess(res.status, res.body);
  if (status.Code !== 'Ok') {
    throw tencentError(status.Code, typeof status.Message === 'string' ? status.Message : '', { requestId, now });
  }
  if (typeof status.SerialNo !== 'string' || status.SerialNo === '') {
    throw tencentUnreadableSuccess(res.status, res.body);
  }
  // "Ok" means handed to the carrier; the delivery report comes later by callback. `Fee` counts
  // billed segments, not money, so there is no price to report.
  return { providerMessageId: status.SerialNo, status: 'sent', price: null };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(v: unknown, name: string): unknown {
  return isObject(v) ? v[name] : undefined;
}
