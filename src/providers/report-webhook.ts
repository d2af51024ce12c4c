/**
 * @module providers/report-webhook
 * The status webhook of a provider that pushes delivery reports unsigned, as a JSON array batching
 * several reports, to a URL carrying our `?token=` (Aliyun's SmsReport, Tencent's 状态通知): the
 * token is checked (./callback-token.ts), every report the adapter can read becomes an event, and
 * the provider's own acknowledgement is answered, without which it pushes the batch again.
 */
import type { StatusEvent } from '../core/status-event.js';
import type { RawRequest, StatusWebhook } from '../ports/provider.js';
import { callbackTokenCheck } from './callback-token.js';

export interface ReportWebhookOptions {
  callbackToken: string;
  /** The JSON body the provider waits for once a push is taken. */
  ack: string;
  /** One report as the provider sent it → our event; null for what is not a report. */
  toEvent(report: unknown): StatusEvent | null;
}

export function createReportWebhook(opts: ReportWebhookOptions): StatusWebhook {
  return {
    ack: { contentType: 'application/json', body: opts.ack },
    verify: callbackTokenCheck(opts.callbackToken),
    parse(req: RawRequest): StatusEvent[] {
      let json: unknown;
      try {
        json = JSON.parse(req.rawBody);
      } catch {
        return [];
      }
      const events: StatusEvent[] = [];
      for (const report of Array.isArray(json) ? json : [json]) {
        const event = opts.toEvent(report);
        if (event) events.push(event);
      }
      return events;
    },
  };
}
