/**
 * @module providers/tencent/status-webhook
 * Tencent's delivery reports ("短信下发状态通知", providers.md §4.4): a POST of a JSON array, several
 * reports per request, keyed by `sid` = the SerialNo SendSms returned.
 *
 * Tencent signs nothing on these callbacks. So the operator registers the callback URL with a
 * secret in its query, `…/webhooks/tencent/status?token=<callbackToken>`, and `verify` compares
 * that token with ours in constant time. It is only as secret as the URL: serve it over HTTPS.
 *
 * Tencent expects the reply `{"result":0,"errmsg":"OK"}`; it retries otherwise.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { StatusEvent } from '../../core/status-event.js';
import type { Clock } from '../../ports/clock.js';
import type { RawRequest, StatusWebhook } from '../../ports/provider.js';

/** The reply body Tencent waits for after a callback. */
export const CALLBACK_ACK = '{"result":0,"errmsg":"OK"}';

const BEIJING_OFFSET_MS = 8 * 3_600_000;

export function createTencentStatusWebhook(opts: { callbackToken: string; clock: Clock }): StatusWebhook {
  const expected = digest(opts.callbackToken);
  return {
    ack: { contentType: 'application/json', body: CALLBACK_ACK },
    verify(req: RawRequest): boolean {
      if (req.method.toUpperCase() !== 'POST') return false;
      const given = tokenOf(req.url);
      // Digests have a fixed length, so comparing them leaks neither the token nor its length.
      return given !== null && timingSafeEqual(digest(given), expected);
    },

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
  const receivedAt = receivedRaw ? beijingTime(receivedRaw) : null;
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

/** `2015-10-17 08:03:04`, Beijing time (UTC+8, no DST) → epoch ms; null when it is not one. */
function beijingTime(raw: string): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)$/.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return utc - BEIJING_OFFSET_MS;
}

function tokenOf(url: string): string | null {
  const q = url.indexOf('?');
  if (q === -1) return null;
  return new URLSearchParams(url.slice(q + 1).split('#')[0]).get('token');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'number') return String(v);
  return null;
}
