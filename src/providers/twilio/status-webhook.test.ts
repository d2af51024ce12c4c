import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../ports/provider.js';
import { bodySha256, twilioSignature } from './signature.js';
import { createTwilioStatusWebhook } from './status-webhook.js';
import { formParams } from './verify-request.js';

const TOKEN = 'f00dbabef00dbabef00dbabef00dbabe';
const URL_ = 'https://tidings.example.com/webhooks/twilio/status';
const SID = 'SM0123456789abcdef0123456789abcdef';
const webhook = createTwilioStatusWebhook({ authToken: TOKEN, clock: { now: () => 1_700_000_000_000 } });

function callback(params: Record<string, string>, headers: Record<string, string> = {}): RawRequest {
  return {
    url: URL_,
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(TOKEN, URL_, params),
      ...headers,
    },
    rawBody: new URLSearchParams(params).toString(),
  };
}

const base = {
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  ApiVersion: '2010-04-01',
  From: '+15005550006',
  To: '+15558675310',
  MessageSid: SID,
  SmsSid: SID,
};

describe('verify', () => {
  it('accepts a callback signed by the official implementation, with unknown params', () => {
    expect(webhook.verify(callback({ ...base, MessageStatus: 'sent', SmsStatus: 'sent', NewThing: 'x y+z' }))).toBe(
      true,
    );
  });

  it('rejects a missing or wrong signature, a tampered body, another token', () => {
    const req = callback({ ...base, MessageStatus: 'delivered' });
    expect(webhook.verify({ ...req, headers: { ...req.headers, 'x-twilio-signature': undefined } })).toBe(false);
    expect(webhook.verify({ ...req, headers: { ...req.headers, 'x-twilio-signature': 'AAAA' } })).toBe(false);
    expect(webhook.verify({ ...req, rawBody: req.rawBody.replace('delivered', 'failed') })).toBe(false);
    expect(webhook.verify({ ...req, rawBody: `${req.rawBody}&Extra=1` })).toBe(false);
    const other = createTwilioStatusWebhook({ authToken: 'another', clock: { now: () => 0 } });
    expect(other.verify(req)).toBe(false);
  });

  it('finds the header whatever its case, and signs repeated keys as Twilio does', () => {
    const rawBody = `MessageSid=${SID}&MessageStatus=sent&Tag=b&Tag=a&Tag=b`;
    const sig = twilioSignature(TOKEN, URL_, { MessageSid: SID, MessageStatus: 'sent', Tag: ['a', 'b'] });
    expect(webhook.verify({ url: URL_, method: 'POST', headers: { 'X-Twilio-Signature': sig }, rawBody })).toBe(true);
    expect(formParams(rawBody)).toEqual({ MessageSid: SID, MessageStatus: 'sent', Tag: ['b', 'a', 'b'] });
  });

  it('verifies JSON-bodied webhooks by bodySHA256', () => {
    const rawBody = '{"MessageSid":"x"}';
    const url = `${URL_}?bodySHA256=${bodySha256(rawBody)}`;
    const sig = getExpectedTwilioSignature(TOKEN, url, {});
    const req = {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': sig },
      rawBody,
    };
    expect(webhook.verify(req)).toBe(true);
    expect(webhook.verify({ ...req, rawBody: '{"MessageSid":"y"}' })).toBe(false);
  });
});

describe('parse', () => {
  it.each([
    ['accepted', 'queued'],
    ['scheduled', 'queued'],
    ['queued', 'queued'],
    ['sending', 'sending'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'delivered'],
    ['undelivered', 'undelivered'],
    ['failed', 'failed'],
    ['canceled', 'canceled'],
  ])('%s → %s', (twilio, ours) => {
    const [event] = webhook.parse(callback({ ...base, MessageStatus: twilio, SmsStatus: twilio }));
    expect(event).toMatchObject({ providerMessageId: SID, status: ours, errorCode: null, at: 1_700_000_000_000 });
    expect(event?.detail.twilioStatus).toBe(twilio);
  });

  it('gives no event for unknown statuses or a callback without a sid, and never throws', () => {
    expect(webhook.parse(callback({ ...base, MessageStatus: 'partially_delivered' }))).toEqual([]);
    expect(webhook.parse(callback({ ...base, MessageStatus: 'receiving' }))).toEqual([]);
    expect(webhook.parse(callback({ MessageStatus: 'sent' }))).toEqual([]);
    expect(webhook.parse({ url: URL_, method: 'POST', headers: {}, rawBody: '%%%&&==' })).toEqual([]);
    expect(webhook.parse({ url: URL_, method: 'POST', headers: {}, rawBody: '' })).toEqual([]);
  });

  it('keeps the error code, a meaning, the carrier date and the idempotency token', () => {
    const [event] = webhook.parse(
      callback(
        {
          ...base,
          MessageStatus: 'undelivered',
          SmsStatus: 'undelivered',
          ErrorCode: '30003',
          RawDlrDoneDate: '2607171206',
        },
        { 'i-twilio-idempotency-token': 'tok-1' },
      ),
    );
    expect(event).toMatchObject({
      status: 'undelivered',
      errorCode: '30003',
      errorMessage: 'unreachable destination handset',
      detail: {
        twilioStatus: 'undelivered',
        errorKind: 'transient',
        retryable: true,
        rawDlrDoneDate: '2607171206',
        carrierDoneAt: '2026-07-17T12:06:00.000Z',
        idempotencyToken: 'tok-1',
      },
    });
  });

  it("prefers Twilio's ErrorMessage, and tolerates a bad carrier date", () => {
    const [event] = webhook.parse(
      callback({
        ...base,
        MessageStatus: 'failed',
        ErrorCode: '30007',
        ErrorMessage: 'Carrier violation',
        RawDlrDoneDate: '9913999999',
      }),
    );
    expect(event).toMatchObject({ status: 'failed', errorCode: '30007', errorMessage: 'Carrier violation' });
    expect(event?.detail.carrierDoneAt).toBeNull();
  });

  it('falls back to SmsSid/SmsStatus', () => {
    const [event] = webhook.parse(callback({ SmsSid: SID, SmsStatus: 'delivered' }));
    expect(event).toMatchObject({ providerMessageId: SID, status: 'delivered' });
  });
});
