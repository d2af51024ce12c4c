import { describe, expect, it } from 'vitest';
import type { TwilioCompatMessageRow } from '../../ports/twilio-compat.js';
import { rfc2822, toTwilioMessage, twilioErrorCode, twilioStatus } from './message-resource.js';
import { toMessageSid } from './message-sid.js';

const ACCOUNT = `AC${'ab'.repeat(16)}`;
const row = (over: Partial<TwilioCompatMessageRow> = {}): TwilioCompatMessageRow => ({
  id: 'msg_01J9Z6X8W2K4N7Q3R5T8V0Y2A4',
  accountSid: ACCOUNT,
  messagingServiceSid: null,
  to: '+14155552671',
  from: '+15017122661',
  body: 'Hello',
  status: 'queued',
  segments: 1,
  errorCode: null,
  errorMessage: null,
  price: null,
  cost: { amount: 0.0079, currency: 'USD' },
  sentAt: null,
  createdAt: Date.UTC(2023, 7, 24, 5, 1, 45),
  updatedAt: Date.UTC(2023, 7, 24, 5, 1, 46),
  ...over,
});

describe('the Message resource', () => {
  it('writes dates the way Twilio does', () => {
    expect(rfc2822(Date.UTC(2023, 7, 24, 5, 1, 45))).toBe('Thu, 24 Aug 2023 05:01:45 +0000');
  });

  it('has every field of a fresh message as Twilio answers a create', () => {
    const sid = toMessageSid('msg_01J9Z6X8W2K4N7Q3R5T8V0Y2A4');
    expect(toTwilioMessage(row())).toEqual({
      account_sid: ACCOUNT,
      api_version: '2010-04-01',
      body: 'Hello',
      date_created: 'Thu, 24 Aug 2023 05:01:45 +0000',
      date_sent: null,
      date_updated: 'Thu, 24 Aug 2023 05:01:46 +0000',
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: '+15017122661',
      messaging_service_sid: null,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: null,
      sid,
      status: 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${ACCOUNT}/Messages/${sid}/Media.json` },
      to: '+14155552671',
      uri: `/2010-04-01/Accounts/${ACCOUNT}/Messages/${sid}.json`,
    });
  });

  it('maps statuses by name; queued through a Messaging Service reads accepted', () => {
    for (const s of ['scheduled', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'canceled'] as const) {
      expect(twilioStatus(s, false)).toBe(s);
      expect(twilioStatus(s, true)).toBe(s);
    }
    expect(twilioStatus('queued', false)).toBe('queued');
    expect(twilioStatus('queued', true)).toBe('accepted');
  });

  it('prices as a negative charge: what the provider charged, else our estimate once the message left', () => {
    expect(toTwilioMessage(row({ status: 'sending' }))).toMatchObject({ price: null, price_unit: null });
    expect(toTwilioMessage(row({ status: 'delivered' }))).toMatchObject({ price: '-0.00790', price_unit: 'USD' });
    expect(toTwilioMessage(row({ status: 'delivered', price: { amount: 0.0075, currency: 'EUR' } }))).toMatchObject({
      price: '-0.00750',
      price_unit: 'EUR',
    });
  });

  it('keeps a provider’s numeric error code and reads any other as 30008 (unknown error)', () => {
    expect(twilioErrorCode(null)).toBeNull();
    expect(twilioErrorCode('30003')).toBe(30003);
    expect(twilioErrorCode('ETIMEDOUT')).toBe(30008);
    expect(toTwilioMessage(row({ status: 'failed', errorCode: '21211', errorMessage: 'invalid' }))).toMatchObject({
      error_code: 21211,
      error_message: 'invalid',
    });
  });

  it('dates the send when a provider took it, and counts segments as a string', () => {
    const sentAt = Date.UTC(2023, 7, 24, 5, 1, 47);
    expect(toTwilioMessage(row({ status: 'sent', sentAt, segments: 3 }))).toMatchObject({
      date_sent: 'Thu, 24 Aug 2023 05:01:47 +0000',
      num_segments: '3',
    });
  });
});
