/**
 * @module content/country-timezone
 * Where a recipient's night is, when the request does not say: the timezone of their number's
 * country. Most countries have one; for those with several, the zone where most of their people
 * live (by the tz database's city populations, checked by hand: New York for the US, Moscow for
 * Russia, Sydney for Australia, São Paulo for Brazil, Jakarta for Indonesia). That is wrong for a
 * Californian at 21:30 — the message waits until 08:00 in New York, 05:00 in California — which is
 * why `recipient.timezone` wins whenever the caller knows it.
 */
import { getCountry } from 'countries-and-timezones';
import { countryOf } from './phone.js';

/** Countries with more than one zone (and none shared with another country): the most populous. */
const MOST_POPULOUS: Readonly<Record<string, string>> = {
  AR: 'America/Argentina/Buenos_Aires',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CD: 'Africa/Kinshasa',
  CL: 'America/Santiago',
  CN: 'Asia/Shanghai',
  CY: 'Asia/Nicosia',
  DE: 'Europe/Berlin',
  EC: 'America/Guayaquil',
  ES: 'Europe/Madrid',
  FM: 'Pacific/Chuuk',
  GL: 'America/Nuuk',
  ID: 'Asia/Jakarta',
  KI: 'Pacific/Tarawa',
  KZ: 'Asia/Almaty',
  MH: 'Pacific/Majuro',
  MN: 'Asia/Ulaanbaatar',
  MX: 'America/Mexico_City',
  MY: 'Asia/Kuala_Lumpur',
  NZ: 'Pacific/Auckland',
  PF: 'Pacific/Tahiti',
  PG: 'Pacific/Port_Moresby',
  PS: 'Asia/Hebron',
  PT: 'Europe/Lisbon',
  RU: 'Europe/Moscow',
  UA: 'Europe/Kyiv',
  US: 'America/New_York',
  UZ: 'Asia/Tashkent',
  VN: 'Asia/Ho_Chi_Minh',
};

const cache = new Map<string, string | null>();

/** The IANA zone of a country (ISO alpha-2), or null for a code the tz database does not know. */
export function timezoneOfCountry(country: string): string | null {
  const hit = cache.get(country);
  if (hit !== undefined) return hit;
  const zone = MOST_POPULOUS[country] ?? getCountry(country)?.timezones[0] ?? null;
  cache.set(country, zone);
  return zone;
}

/** The recipient's zone: the one the request gave, else their number's country's, else null. */
export function recipientTimezone(to: string, given: string | undefined): string | null {
  if (given !== undefined) return given;
  const country = countryOf(to);
  return country === null ? null : timezoneOfCountry(country);
}
