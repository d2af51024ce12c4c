import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../ports/provider.js';
import { createAliyunStatusWebhook, SMS_REPORT_ACK } from './status-webhook.js';

const TOKEN = 'cb-0123456789abcdef';
const URL_ = `https://tidings.example.com/webhooks/aliyun/status?token=${TOKEN}`;
const NOW = 1_700_000_000_000;
const webhook = createAliyunStatusWebhook({ callbackToken: TOKEN, clock: { now: () => NOW } });

function push(body: unknown, url = URL_, method = 'POST'): RawRequest {
  return {
    url,
    method,
    headers: { 'content-type': 'application/json' },
    rawBody: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

// Aliyun's documented sample (providers.md §3.5), with a real-looking biz_id.
const delivered = {
  phone_number: '13800138000',
  send_time: '2017-01-01 00:00:00',
  report_time: '2017-01-01 00:00:05',
  success: true,
  err_code: 'DELIVERED',
  err_msg: '用户接收成功',
  sms_size: '1',
  biz_id: '853819343905671399^0',
  out_id: 'msg_1',
};

describe('verify', () => {
  // The token check itself is tested in ../callback-token.test.ts; here, that it guards this webhook.
  it('accepts a POST with our token and refuses another token or a GET', () => {
    expect(webhook.verify(push([delivered]))).toBe(true);
    expect(webhook.verify(push([delivered], `https://h/webhooks/aliyun/status?token=${TOKEN}0`))).toBe(false);
    expect(webhook.verify(push([delivered], URL_, 'GET'))).toBe(false);
  });
});

describe('parse', () => {
  it('reads every report of a batch: success → delivered, failure → undelivered with err_code', () => {
    const events = webhook.parse(
      push([
        delivered,
        { ...delivered, biz_id: '1^0', success: false, err_code: 'MK:0001', err_msg: '空号', sms_size: '2' },
      ]),
    );
    expect(events).toEqual([
      {
        providerMessageId: '853819343905671399^0',
        status: 'delivered',
        errorCode: null,
        errorMessage: null,
        // 00:00:05 in Beijing is 16:00:05 UTC the day before.
        at: Date.UTC(2016, 11, 31, 16, 0, 5),
        detail: {
          errCode: 'DELIVERED',
          errMsg: '用户接收成功',
          sendTime: '2017-01-01 00:00:00',
          reportTime: '2017-01-01 00:00:05',
          smsSize: 1,
          outId: 'msg_1',
        },
      },
      expect.objectContaining({
        providerMessageId: '1^0',
        status: 'undelivered',
        errorCode: 'MK:0001',
        errorMessage: '空号',
        detail: expect.objectContaining({ smsSize: 2 }),
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('13800138000');
  });

  it('uses the clock when report_time is missing or not a time, and a placeholder code when err_code is', () => {
    const [a, b] = webhook.parse(
      push([
        { biz_id: 'a^0', success: false },
        { biz_id: 'b^0', success: 'true', report_time: '2017-02-30 08:00:00' },
      ]),
    );
    expect(a).toMatchObject({ status: 'undelivered', errorCode: 'UNKNOWN', errorMessage: null, at: NOW });
    expect(b).toMatchObject({ status: 'delivered', at: NOW });
  });

  it('skips reports without a biz_id or a success flag, and never throws', () => {
    expect(webhook.parse(push([{ success: true }, { biz_id: 'x', success: 'maybe' }, 5, null]))).toEqual([]);
    expect(webhook.parse(push('not json'))).toEqual([]);
    expect(webhook.parse(push(''))).toEqual([]);
    expect(webhook.parse(push(delivered))).toHaveLength(1);
  });

  it('has the acknowledgement Aliyun waits for', () => {
    expect(JSON.parse(SMS_REPORT_ACK)).toEqual({ code: 0, msg: '接收成功' });
  });
});
