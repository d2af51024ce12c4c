import { describe, expect, it } from 'vitest';
import type { StatusEvent } from '../core/status-event.js';
import type { RawRequest } from '../ports/provider.js';
import { createReportWebhook } from './report-webhook.js';

const TOKEN = 'cb-0123456789abcdef';
const hook = createReportWebhook({
  callbackToken: TOKEN,
  ack: '{"code":0}',
  toEvent: (r): StatusEvent | null =>
    typeof r === 'object' && r !== null && typeof (r as { id?: unknown }).id === 'string'
      ? {
          providerMessageId: (r as { id: string }).id,
          status: 'delivered',
          errorCode: null,
          errorMessage: null,
          at: 1,
          detail: {},
        }
      : null,
});
const push = (rawBody: string, url = `https://h/webhooks/x/status?token=${TOKEN}`): RawRequest => ({
  url,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  rawBody,
});

describe('createReportWebhook', () => {
  it('answers the provider’s acknowledgement as JSON and checks the token', () => {
    expect(hook.ack).toEqual({ contentType: 'application/json', body: '{"code":0}' });
    expect(hook.verify(push('[]'))).toBe(true);
    expect(hook.verify(push('[]', 'https://h/webhooks/x/status?token=guess'))).toBe(false);
  });

  it('reads every report of a batch, or a lone report, and skips what is not one', () => {
    expect(hook.parse(push('[{"id":"a"},{"x":1},7,{"id":"b"}]')).map((e) => e.providerMessageId)).toEqual(['a', 'b']);
    expect(hook.parse(push('{"id":"c"}')).map((e) => e.providerMessageId)).toEqual(['c']);
    expect(hook.parse(push('not json'))).toEqual([]);
  });
});
