import { describe, expect, it } from 'vitest';
import { parseTwilioUrl } from '../twilio/config.js';
import { describeTwilioVoiceConfig, parseTwilioVoiceUrl } from './config.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const MG = 'MG0123456789abcdef0123456789abcdef';
const TOKEN = 'secret-token-value';

describe('parseTwilioVoiceUrl', () => {
  it('reads the account like the SMS adapter, plus the voice options', () => {
    expect(
      parseTwilioVoiceUrl(
        `twilio-voice://${SID}:${TOKEN}@%2B15551234567?baseUrl=http://127.0.0.1:4010&language=zh-CN&ringSeconds=25&name=night&timeoutMs=2500`,
      ),
    ).toEqual({
      name: 'night',
      accountSid: SID,
      authToken: TOKEN,
      from: '+15551234567',
      baseUrl: 'http://127.0.0.1:4010',
      timeoutMs: 2500,
      connections: 128,
      maxPerSecond: null,
      language: 'zh-CN',
      ringSeconds: 25,
    });
  });

  it('has defaults: name "default", language en-US, Twilio’s ring time', () => {
    expect(parseTwilioVoiceUrl(new URL(`twilio-voice://${SID}:${TOKEN}@+15551234567`))).toMatchObject({
      name: 'default',
      language: 'en-US',
      ringSeconds: null,
      baseUrl: 'https://api.twilio.com',
    });
  });

  it.each([
    [`twilio://${SID}:${TOKEN}@+15551234567`, /twilio-voice:\/\//],
    [`twilio-voice://${SID}:${TOKEN}@${MG}`, /caller number/],
    [`twilio-voice://${SID}:${TOKEN}@+1555?messagingServiceSid=${MG}`, /caller number/],
    [`twilio-voice://${SID}:${TOKEN}@Tidings`, /caller number/],
    [`twilio-voice://${SID}:${TOKEN}@+15551234567?language=tlh`, /no reading voice/],
    [`twilio-voice://${SID}:${TOKEN}@+15551234567?ringSeconds=2`, /ringSeconds/],
    [`twilio-voice://${SID}:${TOKEN}@+15551234567?ringSeconds=abc`, /ringSeconds/],
    [`twilio-voice://${SID}:${TOKEN}@+15551234567?bogus=1`, /unknown option "bogus"/],
    [`twilio-voice://ACnope:${TOKEN}@+15551234567`, /AC" followed by 32 hex/],
  ])('rejects %s', (url, message) => {
    expect(() => parseTwilioVoiceUrl(url)).toThrow(message);
  });

  it('never echoes the token in an error', () => {
    expect(() => parseTwilioVoiceUrl(`not a url ${TOKEN}`)).toThrow(/not a valid URL/);
    expect(() => parseTwilioVoiceUrl(`not a url ${TOKEN}`)).not.toThrow(TOKEN);
    expect(() => parseTwilioVoiceUrl(`twilio-voice://${SID}:${TOKEN}@Tidings`)).not.toThrow(TOKEN);
  });

  it('leaves the SMS scheme check as it was', () => {
    expect(() => parseTwilioUrl(`twilio-voice://${SID}:${TOKEN}@+15551234567`)).toThrow(/twilio:\/\//);
  });
});

describe('describeTwilioVoiceConfig', () => {
  it('prints the URL with the token masked', () => {
    const text = describeTwilioVoiceConfig(
      parseTwilioVoiceUrl(`twilio-voice://${SID}:${TOKEN}@+15551234567?ringSeconds=30`),
    );
    expect(text).toBe(
      `twilio-voice://${SID}:secr****@+15551234567?language=en-US&name=default&ringSeconds=30&timeoutMs=10000`,
    );
    expect(text).not.toContain(TOKEN);
  });
});
