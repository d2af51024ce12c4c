import { describe, expect, it } from 'vitest';
import type { TwilioParams } from '../../core/twilio-signing.js';
import { readCreateForm } from './create-message.js';
import { TwilioApiError } from './twilio-errors.js';

const read = (form: TwilioParams, allowHttpCallbacks = false) => readCreateForm(form, { allowHttpCallbacks });
const code = (form: TwilioParams): number | null => {
  try {
    read(form);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(TwilioApiError);
    return (err as TwilioApiError).code;
  }
};
const base = { To: '+14155552671', From: '+15017122661', Body: 'Hello' };

describe('the create form, read the way Twilio reads it', () => {
  it('takes To, From and Body into a send request', () => {
    expect(read(base)).toEqual({
      send: { to: '+14155552671', from: '+15017122661', body: 'Hello' },
      statusCallback: null,
      messagingServiceSid: null,
    });
  });

  it('refuses what Twilio refuses: no To (21604), no From nor service (21603), no Body (21602)', () => {
    expect(code({ From: base.From, Body: 'x' })).toBe(21604);
    expect(code({ To: base.To, Body: 'x' })).toBe(21603);
    expect(code({ To: base.To, From: base.From })).toBe(21602);
    expect(code({ ...base, Body: '' })).toBe(21602);
  });

  it('takes a Messaging Service instead of From, and checks its SID', () => {
    const mg = `MG${'0'.repeat(32)}`;
    expect(read({ To: base.To, Body: 'x', MessagingServiceSid: mg })).toMatchObject({
      send: { to: base.To, body: 'x' },
      messagingServiceSid: mg,
    });
    expect(code({ To: base.To, Body: 'x', MessagingServiceSid: 'MG123' })).toBe(20001);
  });

  it('keeps the StatusCallback exactly as given, and refuses one that is not a usable URL (21609)', () => {
    expect(read({ ...base, StatusCallback: 'https://example.com/cb?x=1&y=2' }).statusCallback).toBe(
      'https://example.com/cb?x=1&y=2',
    );
    expect(code({ ...base, StatusCallback: 'not a url' })).toBe(21609);
    expect(code({ ...base, StatusCallback: 'http://example.com/cb' })).toBe(21609);
    expect(read({ ...base, StatusCallback: 'http://example.com/cb' }, true).statusCallback).toBe(
      'http://example.com/cb',
    );
  });

  it('schedules with SendAt (ScheduleType fixed, or none), and refuses fixed without a time', () => {
    expect(read({ ...base, SendAt: '2030-01-01T00:00:00Z', ScheduleType: 'fixed' }).send.sendAt).toBe(
      '2030-01-01T00:00:00Z',
    );
    expect(code({ ...base, ScheduleType: 'fixed' })).toBe(20001);
    expect(code({ ...base, ScheduleType: 'later', SendAt: '2030-01-01T00:00:00Z' })).toBe(20001);
  });

  it('honours SmartEncoded, ignores the fields Tidings decides itself, and refuses media', () => {
    expect(read({ ...base, SmartEncoded: 'true' }).send.smartEncoding).toBe(true);
    expect(read({ ...base, SmartEncoded: 'false' }).send.smartEncoding).toBe(false);
    expect(code({ ...base, SmartEncoded: 'maybe' })).toBe(20001);
    expect(read({ ...base, ValidityPeriod: '60', MaxPrice: '0.5', Attempt: '2', ShortenUrls: 'true' }).send).toEqual({
      to: base.To,
      from: base.From,
      body: 'Hello',
    });
    expect(code({ ...base, MediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'] })).toBe(20001);
    expect(code({ ...base, ContentSid: `HX${'0'.repeat(32)}` })).toBe(20001);
  });
});
