import { getAllCountries } from 'countries-and-timezones';
import { describe, expect, it } from 'vitest';
import { recipientTimezone, timezoneOfCountry } from './country-timezone.js';

describe('country → timezone', () => {
  it('takes the one zone of a one-zone country', () => {
    expect(timezoneOfCountry('GB')).toBe('Europe/London');
    expect(timezoneOfCountry('FR')).toBe('Europe/Paris');
    expect(timezoneOfCountry('IN')).toBe('Asia/Kolkata');
  });

  it('takes the most populous zone of a country with several', () => {
    expect(timezoneOfCountry('US')).toBe('America/New_York');
    expect(timezoneOfCountry('CN')).toBe('Asia/Shanghai');
    expect(timezoneOfCountry('RU')).toBe('Europe/Moscow');
    expect(timezoneOfCountry('AU')).toBe('Australia/Sydney');
    expect(timezoneOfCountry('BR')).toBe('America/Sao_Paulo');
    expect(timezoneOfCountry('DE')).toBe('Europe/Berlin');
  });

  it('answers every country with a zone this runtime knows', () => {
    for (const [id, country] of Object.entries(getAllCountries())) {
      if (country.timezones.length === 0) continue; // uninhabited (Heard Island)
      const zone = timezoneOfCountry(id);
      expect(zone, id).not.toBeNull();
      expect(() => new Intl.DateTimeFormat('en', { timeZone: zone! }), `${id} ${zone}`).not.toThrow();
    }
    expect(timezoneOfCountry('XX')).toBeNull();
  });

  it("uses the request's zone first, then the number's country", () => {
    expect(recipientTimezone('+14155552671', 'America/Los_Angeles')).toBe('America/Los_Angeles');
    expect(recipientTimezone('+14155552671', undefined)).toBe('America/New_York');
    expect(recipientTimezone('+8613800138000', undefined)).toBe('Asia/Shanghai');
    expect(recipientTimezone('+447400123456', undefined)).toBe('Europe/London');
  });
});
