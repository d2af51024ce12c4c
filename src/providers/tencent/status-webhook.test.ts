import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../ports/provider.js';
import { createTencentStatusWebhook } from './status-webhook.js';

const TOKEN = 'cb-0123456789abcdef';
const URL_ = `https://tidings.example.com/webhooks/tencent/status?token=${TOKEN}`;
const NOW = 1_700_000_000_000;
const webhook = createTencentStatusWebhook({ callbackToken: TOKEN, clock: { now: () => NOW } });

function callback(body: unknown, url = URL_, method = 'POST'): RawRequest {
  return {
    url,
    method,
    headers: { 'content-type': 'application/json' },
    rawBody: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

const delivered = {
  user_receive_time: '2015-10-17 08:03:04',
  nationcode: '86',
  mobile: '13800138000',
  report_status: 'SUCCESS',
  errmsg: 'DELIVRD',
  description: '用户短信送达成功',
  sid: '5000:1045710669157053657849499619',
};

describe('verify', () => {
  // The token check itself is tested in ../callback-token.test.ts; here, that it guards this webhook.
  it('accepts a POST with our token and refuses another token or a GET', () => {
    expect(webhook.verify(callback([delivered]))).toBe(true);
    expect(webhook.verify(callback([delivered], `https://h/webhooks/tencent/status?token=${TOKEN}0`))).toBe(false);
    expect(webhook.verify(callback([delivered], URL_, 'GET'))).toBe(false);
  });
});

describe('parse', () => {
  it('reads several reports per request: SUCCESS → delivered, FAIL → undelivered with errmsg as code', () => {
    const events = webhook.parse(
      callback([
        delivered,
        { ...delivered, sid: 'sid-2', report_status: 'FAIL', errmsg: 'MK:0001', description: '空号' },
      ]),
    );
    expect(events).toEqual([
      {
        providerMessageId: '5000:1045710669157053657849499619',
        status: 'delivered',
        errorCode: null,
        errorMessage: null,
        // 08:03:04 in Beijing is 00:03:04 UTC.
        at: Date.UTC(2015, 9, 17, 0, 3, 4),
        detail: {
          tencentStatus: 'SUCCESS',
          errmsg: 'DELIVRD',
          description: '用户短信送达成功',
          userReceiveTime: '2015-10-17 08:03:04',
          nationcode: '86',
        },
      },
      expect.objectContaining({
        providerMessageId: 'sid-2',
        status: 'undelivered',
        errorCode: 'MK:0001',
        errorMessage: '空号',
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('13800138000');
  });

  it('uses the clock when the receive time is missing or not a time, and FAIL without errmsg', () => {
    const [a, b] = webhook.parse(
      callback([
        { sid: 's1', report_status: 'FAIL' },
        { sid: 's2', report_status: 'success', user_receive_time: '2015-02-30 08:00:00' },
      ]),
    );
    expect(a).toMatchObject({ status: 'undelivered', errorCode: 'FAIL', errorMessage: null, at: NOW });
    expect(b).toMatchObject({ status: 'delivered', at: NOW });
  });

  it('skips reports without a sid or with an unknown status, and never throws', () => {
    expect(
      webhook.parse(callback([{ report_status: 'SUCCESS' }, { sid: 'x', report_status: 'PENDING' }, 5, null])),
    ).toEqual([]);
    expect(webhook.parse(callback('not json'))).toEqual([]);
    expect(webhook.parse(callback(''))).toEqual([]);
    expect(webhook.parse(callback(delivered))).toHaveLength(1);
  });
});
