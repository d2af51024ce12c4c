import { describe, expect, it } from 'vitest';
import { describeTwilioConfig, parseTwilioUrl, twilioUrlFromEnv } from './config.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const MG = 'MG0123456789abcdef0123456789abcdef';
const TOKEN = 'secret-token-value';

describe('parseTwilioUrl', () => {
  it('reads the sender from the host and options from the query', () => {
    const c = parseTwilioUrl(
      `twilio://${SID}:${TOKEN}@+15551234567?baseUrl=http://127.0.0.1:4010&messagingServiceSid=${MG}&name=backup&timeoutMs=2500`,
    );
    expect(c).toEqual({
      name: 'backup',
      accountSid: SID,
      authToken: TOKEN,
      from: '+15551234567',
      messagingServiceSid: MG,
      baseUrl: 'http://127.0.0.1:4010',
      timeoutMs: 2500,
      connections: 128,
      maxPerSecond: null,
    });
  });

  it('has defaults, URL-decodes the parts, and accepts a URL object', () => {
    const c = parseTwilioUrl(new URL(`twilio://${SID}:a%2Fb%40c@%2B15551234567`));
    expect(c).toMatchObject({ name: 'primary', authToken: 'a/b@c', from: '+15551234567' });
    expect(c.baseUrl).toBe('https://api.twilio.com');
    expect(c.timeoutMs).toBe(10_000);
  });

  it('takes a Messaging Service SID in place of a sender', () => {
    expect(parseTwilioUrl(`twilio://${SID}:${TOKEN}@${MG}`)).toMatchObject({ from: null, messagingServiceSid: MG });
    expect(parseTwilioUrl(`twilio://${SID}:${TOKEN}@Tidings?connections=8&mps=30`)).toMatchObject({
      from: 'Tidings',
      connections: 8,
      maxPerSecond: 30,
    });
  });

  it('keeps a path prefix of the base URL and drops its trailing slash', () => {
    expect(parseTwilioUrl(`twilio://${SID}:${TOKEN}@+1555?baseUrl=http://h:1/twilio/`).baseUrl).toBe(
      'http://h:1/twilio',
    );
  });

  it.each([
    [`twilio://ACnope:${TOKEN}@+15551234567`, /AC" followed by 32 hex/],
    [`twilio://${SID}@+15551234567`, /auth token is missing/],
    [`twilio://${SID}:${TOKEN}@+1555?messagingServiceSid=MG1`, /messagingServiceSid/],
    [`twilio://${SID}:${TOKEN}@+1555?timeoutMs=-1`, /timeoutMs must be a positive integer/],
    [`twilio://${SID}:${TOKEN}@+1555?baseUrl=ftp://x`, /http\(s\)/],
    [`twilio://${SID}:${TOKEN}@+1555?bogus=1`, /unknown option "bogus"/],
    [`twilio://${SID}:${TOKEN}@+1555?name=a%20b`, /name/],
    [`sms://${SID}:${TOKEN}@+1555`, /twilio:\/\//],
  ])('rejects %s', (url, message) => {
    expect(() => parseTwilioUrl(url)).toThrow(message);
  });

  it('never echoes the token in an error', () => {
    let text = '';
    try {
      parseTwilioUrl(`twilio://AC1:${TOKEN}@+1555`);
    } catch (err) {
      text = (err as Error).message;
    }
    expect(text).not.toBe('');
    expect(text).not.toContain(TOKEN);
    expect(() => parseTwilioUrl(`not a url ${TOKEN}`)).toThrow(/not a valid URL/);
    expect(() => parseTwilioUrl(`not a url ${TOKEN}`)).not.toThrow(TOKEN);
  });
});

describe('twilioUrlFromEnv', () => {
  it('is null without an account', () => {
    expect(twilioUrlFromEnv({})).toBeNull();
    expect(twilioUrlFromEnv({ TWILIO_ACCOUNT_SID: SID })).toBeNull();
    expect(twilioUrlFromEnv({ TWILIO_AUTH_TOKEN: TOKEN, TWILIO_PHONE_NUMBER: '+1555' })).toBeNull();
  });

  it('builds a URL that parses back to the same values', () => {
    const url = twilioUrlFromEnv({
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: 'tok/with@odd:chars',
      TWILIO_PHONE_NUMBER: '+15551234567',
      TWILIO_BASE_URL: 'http://127.0.0.1:4010',
      TWILIO_MESSAGING_SERVICE_SID: MG,
    });
    expect(url).not.toBeNull();
    expect(parseTwilioUrl(url ?? '')).toMatchObject({
      accountSid: SID,
      authToken: 'tok/with@odd:chars',
      from: '+15551234567',
      messagingServiceSid: MG,
      baseUrl: 'http://127.0.0.1:4010',
    });
  });

  it('uses the Messaging Service as sender when there is no number, and asks for one of them', () => {
    const url = twilioUrlFromEnv({
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_MESSAGING_SERVICE_SID: MG,
    });
    expect(parseTwilioUrl(url ?? '')).toMatchObject({ from: null, messagingServiceSid: MG });
    expect(() => twilioUrlFromEnv({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN })).toThrow(
      /TWILIO_PHONE_NUMBER/,
    );
  });
});

describe('describeTwilioConfig', () => {
  it('prints the URL with the token masked', () => {
    const text = describeTwilioConfig(
      parseTwilioUrl(`twilio://${SID}:${TOKEN}@+15551234567?baseUrl=http://127.0.0.1:4010`),
    );
    expect(text).toBe(
      `twilio://${SID}:secr****@+15551234567?baseUrl=http%3A%2F%2F127.0.0.1%3A4010&name=primary&timeoutMs=10000`,
    );
    expect(text).not.toContain(TOKEN);
  });
});
