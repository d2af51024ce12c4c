import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../ports/provider.js';
import { createTwilioVoiceStatusWebhook } from './status-webhook.js';

const TOKEN = 'f00dbabef00dbabef00dbabef00dbabe';
const URL_ = 'https://tidings.example.com/webhooks/twilio-voice/status';
const SID = 'CA0123456789abcdef0123456789abcdef';
const webhook = createTwilioVoiceStatusWebhook({ authToken: TOKEN, clock: { now: () => 1_700_000_000_000 } });

const base = {
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  ApiVersion: '2010-04-01',
  CallSid: SID,
  From: '+15005550006',
  To: '+15558675310',
  Direction: 'outbound-api',
  CallbackSource: 'call-progress-events',
  SequenceNumber: '0',
};

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

describe('verify', () => {
  it('accepts a callback signed by the official implementation', () => {
    expect(webhook.verify(callback({ ...base, CallStatus: 'completed', CallDuration: '12' }))).toBe(true);
  });

  it('rejects a missing or wrong signature, a tampered body, another token', () => {
    const req = callback({ ...base, CallStatus: 'completed' });
    expect(webhook.verify({ ...req, headers: { ...req.headers, 'x-twilio-signature': undefined } })).toBe(false);
    expect(webhook.verify({ ...req, headers: { ...req.headers, 'x-twilio-signature': 'AAAA' } })).toBe(false);
    expect(webhook.verify({ ...req, rawBody: req.rawBody.replace('completed', 'busy') })).toBe(false);
    const other = createTwilioVoiceStatusWebhook({ authToken: 'another', clock: { now: () => 0 } });
    expect(other.verify(req)).toBe(false);
  });

  it('verifies a GET callback by its URL', () => {
    const url = `${URL_}?${new URLSearchParams({ ...base, CallStatus: 'busy' }).toString()}`;
    const req = {
      url,
      method: 'GET',
      headers: { 'x-twilio-signature': getExpectedTwilioSignature(TOKEN, url, {}) },
      rawBody: '',
    };
    expect(webhook.verify(req)).toBe(true);
    expect(webhook.verify({ ...req, url: url.replace('busy', 'completed') })).toBe(false);
    expect(webhook.parse(req)).toMatchObject([{ providerMessageId: SID, status: 'undelivered', errorCode: 'busy' }]);
  });
});

describe('parse', () => {
  it('completed → delivered, with the duration and the SIP answer kept', () => {
    expect(
      webhook.parse(
        callback(
          { ...base, CallStatus: 'completed', CallDuration: '17', SipResponseCode: '200', AnsweredBy: 'human' },
          { 'i-twilio-idempotency-token': 'tok-1' },
        ),
      ),
    ).toEqual([
      {
        providerMessageId: SID,
        status: 'delivered',
        errorCode: null,
        errorMessage: null,
        at: 1_700_000_000_000,
        detail: {
          twilioCallStatus: 'completed',
          callDurationSeconds: 17,
          sipResponseCode: '200',
          answeredBy: 'human',
          idempotencyToken: 'tok-1',
        },
      },
    ]);
  });

  it.each([
    ['busy', /busy/],
    ['no-answer', /nobody answered/],
    ['failed', /could not be connected/],
    ['canceled', /canceled/],
  ])('%s → undelivered with the call status as the code', (callStatus, meaning) => {
    const [event] = webhook.parse(callback({ ...base, CallStatus: callStatus, CallDuration: '0' }));
    expect(event).toMatchObject({ providerMessageId: SID, status: 'undelivered', errorCode: callStatus });
    expect(event?.errorMessage).toMatch(meaning);
  });

  it('gives no event for progress statuses, a missing sid, or garbage, and never throws', () => {
    for (const s of ['queued', 'initiated', 'ringing', 'in-progress', 'answered']) {
      expect(webhook.parse(callback({ ...base, CallStatus: s }))).toEqual([]);
    }
    expect(webhook.parse(callback({ CallStatus: 'completed' }))).toEqual([]);
    expect(webhook.parse({ url: URL_, method: 'POST', headers: {}, rawBody: '%%%&&==' })).toEqual([]);
    expect(webhook.parse({ url: URL_, method: 'GET', headers: {}, rawBody: '' })).toEqual([]);
  });
});
