import { describe, expect, it } from 'vitest';
import { TidingsError } from '../core/errors.js';
import { countryOf, normalizeRecipient, type CountryCode } from './phone.js';

const sms = { channel: 'sms' } as const;
const voice = { channel: 'voice' } as const;

function rejection(input: string, opts: { defaultRegion?: CountryCode; channel: 'sms' | 'voice' }): TidingsError {
  try {
    normalizeRecipient(input, opts);
  } catch (err) {
    if (err instanceof TidingsError) return err;
    throw err;
  }
  throw new Error(`expected ${input} to be rejected`);
}

describe('normalizeRecipient', () => {
  it.each([
    ['+14155552671', '+14155552671', 'US', 'FIXED_LINE_OR_MOBILE'],
    ['+447400123456', '+447400123456', 'GB', 'MOBILE'],
    ['+4915123456789', '+4915123456789', 'DE', 'MOBILE'],
    ['+8613812348000', '+8613812348000', 'CN', 'MOBILE'],
    // Twilio's magic "valid" test number is in a personal-number range; it can take SMS.
    ['+15005550006', '+15005550006', 'US', 'PERSONAL_NUMBER'],
    ['+1 800 555 0199', '+18005550199', 'US', 'TOLL_FREE'],
    ['+1 (415) 555-2671', '+14155552671', 'US', 'FIXED_LINE_OR_MOBILE'],
    ['+44.7400.123.456', '+447400123456', 'GB', 'MOBILE'],
    ['  +49 151 2345 6789  ', '+4915123456789', 'DE', 'MOBILE'],
    ['0086 138 1234 8000', '+8613812348000', 'CN', 'MOBILE'],
    ['0044 7400 123456', '+447400123456', 'GB', 'MOBILE'],
    ['＋８６ １３８１２３４８０００', '+8613812348000', 'CN', 'MOBILE'],
  ])('accepts %s for SMS', (input, e164, country, type) => {
    expect(normalizeRecipient(input, sms)).toEqual({ e164, country, type });
  });

  it.each([
    ['(415) 555-2671', 'US', '+14155552671', 'US'],
    ['415.555.2671', 'US', '+14155552671', 'US'],
    ['13812348000', 'CN', '+8613812348000', 'CN'],
    ['138-1234-8000', 'CN', '+8613812348000', 'CN'],
    ['07400 123456', 'GB', '+447400123456', 'GB'],
    ['0151 23456789', 'DE', '+4915123456789', 'DE'],
    // A number in international format ignores the default region.
    ['+447400123456', 'US', '+447400123456', 'GB'],
  ] as const)('accepts national format %s with region %s', (input, region, e164, country) => {
    const result = normalizeRecipient(input, { defaultRegion: region, channel: 'sms' });
    expect(result.e164).toBe(e164);
    expect(result.country).toBe(country);
  });

  it('asks for a country code when there is neither + nor a default region', () => {
    const err = rejection('4155552671', sms);
    expect(err.code).toBe('invalid_number');
    expect(err.field).toBe('to');
    expect(err.message).toMatch(/country code/);
    expect(err.message).toMatch(/TIDINGS_DEFAULT_REGION/);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['call me', /only digits/],
    ['+1 415 555 CALL', /only digits/],
    ['+44 20 7183 8750 ext 12', /only digits/],
    ['+1-800-FLOWERS', /only digits/],
    ['1+4155552671', /only digits/],
    ['+1 415 555 2671 0000 0000 0000 0000', /longer than 32/],
    ['+', /only digits/],
    ['+1', /too short/],
    ['+999 123 456 789', /country code/],
    ['+1 415 555', /too short/],
    ['+44 7400 123456 789', /too long/],
    ['+1 555 555 0100', /not a valid/],
    ['+33 6000 0000', /too short for FR/],
  ])('rejects %j as invalid_number', (input, message) => {
    const err = rejection(input, sms);
    expect(err.code).toBe('invalid_number');
    expect(err.field).toBe('to');
    expect(err.message).toMatch(message);
  });

  it.each([
    ['+442071838750', /landline/],
    ['+4930123456', /landline/],
    ['+19005550123', /premium-rate/],
    ['+448712345678', /premium-rate/],
    ['+445512345678', /universal access/],
  ])('rejects %s for SMS as not_mobile', (input, message) => {
    const err = rejection(input, sms);
    expect(err.code).toBe('not_mobile');
    expect(err.field).toBe('to');
    expect(err.message).toMatch(message);
  });

  it('accepts landlines for voice', () => {
    expect(normalizeRecipient('+442071838750', voice)).toEqual({
      e164: '+442071838750',
      country: 'GB',
      type: 'FIXED_LINE',
    });
    expect(normalizeRecipient('020 7183 8750', { defaultRegion: 'GB', channel: 'voice' }).e164).toBe('+442071838750');
  });

  it('still rejects invalid numbers for voice', () => {
    expect(rejection('+1 555 555 0100', voice).code).toBe('invalid_number');
  });

  describe('mainland China', () => {
    it('accepts any 1[3-9] mobile number, even where the metadata does not know the prefix', () => {
      expect(normalizeRecipient('+8614012345678', sms)).toEqual({
        e164: '+8614012345678',
        country: 'CN',
        type: 'MOBILE',
      });
      expect(normalizeRecipient('+8619912345678', sms).e164).toBe('+8619912345678');
      expect(normalizeRecipient('14012345678', { defaultRegion: 'CN', channel: 'sms' }).e164).toBe('+8614012345678');
    });

    it('rejects landlines for SMS but not for voice', () => {
      const err = rejection('+861012345678', sms);
      expect(err.code).toBe('not_mobile');
      expect(err.message).toMatch(/13 to 19/);
      expect(rejection('+86 010 1234 5678', sms).code).toBe('not_mobile');
      expect(rejection('+86 400 123 4567', sms).code).toBe('not_mobile'); // shared-cost
      expect(normalizeRecipient('+861012345678', voice)).toEqual({
        e164: '+861012345678',
        country: 'CN',
        type: 'FIXED_LINE',
      });
    });

    it('rejects 1x numbers that do not fit the mobile pattern', () => {
      expect(rejection('+8612012345678', sms).code).toBe('invalid_number');
      expect(rejection('+861381234800', sms).code).toBe('invalid_number');
      expect(rejection('+86138123480001', sms).code).toBe('invalid_number');
      expect(rejection('+8610086', sms).code).toBe('invalid_number');
    });
  });

  describe('the memo of earlier answers', () => {
    it('answers a repeated input the same way, with an object no caller can change', () => {
      const first = normalizeRecipient('+1 (650) 555-2671', sms);
      const again = normalizeRecipient('+1 (650) 555-2671', sms);
      expect(again).toEqual({ e164: '+16505552671', country: 'US', type: 'FIXED_LINE_OR_MOBILE' });
      expect(again).toBe(first);
      expect(() => {
        (again as { e164: string }).e164 = '+10000000000';
      }).toThrow(TypeError);
      expect(normalizeRecipient('+1 (650) 555-2671', sms).e164).toBe('+16505552671');
    });

    it('keeps channels apart: a landline that passed for voice is still refused for SMS', () => {
      expect(normalizeRecipient('+44 20 7183 8751', voice).type).toBe('FIXED_LINE');
      expect(rejection('+44 20 7183 8751', sms).code).toBe('not_mobile');
      expect(normalizeRecipient('+44 20 7183 8751', voice).type).toBe('FIXED_LINE');
    });

    it('keeps default regions apart: the same digits are another number in another region', () => {
      expect(normalizeRecipient('07400 123457', { defaultRegion: 'GB', channel: 'sms' }).e164).toBe('+447400123457');
      expect(rejection('07400 123457', { defaultRegion: 'US', channel: 'sms' }).code).toBe('invalid_number');
      expect(rejection('07400 123457', sms).code).toBe('invalid_number');
    });

    it('refuses a refused input every time, with the same code', () => {
      for (let i = 0; i < 3; i++) expect(rejection('+1 555 555 0101', sms).code).toBe('invalid_number');
    });

    it('stays correct past its size: the oldest answers make room, and come back the same', () => {
      const inputs = Array.from({ length: 9_000 }, (_, i) => `+1 212 555 ${String(1_000 + i).padStart(4, '0')}`);
      const answers = inputs.map((n) => normalizeRecipient(n, sms).e164);
      expect(new Set(answers).size).toBe(9_000);
      expect(normalizeRecipient(inputs[0] as string, sms).e164).toBe('+12125551000');
      expect(normalizeRecipient(inputs[8_999] as string, sms).e164).toBe('+12125559999');
    });
  });

  it('never echoes the number in its messages (they reach logs and clients)', () => {
    for (const input of ['+442071838750', '+1 555 555 0100', '+861012345678', '4155552671']) {
      expect(rejection(input, sms).message).not.toMatch(/\d{4}/);
    }
  });
});

describe('countryOf', () => {
  it.each([
    ['+14155552671', 'US'],
    ['+16135550123', 'CA'],
    ['+447400123456', 'GB'],
    ['+447624123456', 'IM'],
    ['+4915123456789', 'DE'],
    ['+8613812348000', 'CN'],
    ['+8614012345678', 'CN'],
    ['+79123456789', 'RU'],
    ['+77012345678', 'KZ'],
    ['+35312345678', 'IE'],
  ])('%s → %s', (e164, country) => {
    expect(countryOf(e164)).toBe(country);
  });

  it('agrees with normalizeRecipient', () => {
    for (const input of ['+14155552671', '+447400123456', '+15005550006', '+8614012345678', '+33612345678']) {
      const recipient = normalizeRecipient(input, sms);
      expect(countryOf(recipient.e164)).toBe(recipient.country);
    }
  });

  it('returns null for non-geographic numbers and for garbage', () => {
    expect(countryOf('+80012345678')).toBeNull();
    expect(countryOf('+870773111632')).toBeNull();
    expect(countryOf('+999123456')).toBeNull();
    expect(countryOf('4155552671')).toBeNull();
    expect(countryOf('+1 415 555 2671')).toBeNull();
    expect(countryOf('')).toBeNull();
  });
});
