/**
 * @module app/destination-rules
 * The checks at acceptance that need no counter: may this country be texted at all (the geo
 * allow-list), and is it night where the recipient lives (quiet hours, by purpose). A message
 * due in quiet hours is not refused but scheduled for the hour they end, on the recipient's clock:
 * the request's `recipient.timezone`, else the zone of the number's country. One-time codes and
 * `urgent` messages are never held.
 */
import { TidingsError } from '../core/errors.js';
import type { LimitsPolicy } from '../core/limits-policy.js';
import type { Channel, Purpose } from '../core/message.js';
import { quietUntil } from '../core/quiet-hours.js';
import { countryOf } from '../content/phone.js';
import { recipientTimezone } from '../content/country-timezone.js';

const byPhone = (channel: Channel): boolean => channel === 'sms' || channel === 'voice';

export function checkDestination(policy: LimitsPolicy, channel: Channel, to: string): void {
  if (policy.allowedCountries === null || !byPhone(channel)) return;
  const country = countryOf(to);
  if (country === null || !policy.allowedCountries.has(country)) {
    throw new TidingsError(
      'destination_not_allowed',
      `Messages to ${country ?? 'this country'} are not allowed (TIDINGS_ALLOWED_COUNTRIES).`,
      'to',
      { limit: 'geo' },
    );
  }
}

export interface QuietInput {
  channel: Channel;
  to: string;
  purpose: Purpose;
  urgent: boolean;
  timezone: string | undefined;
}

/** When a message due at `due` may go out instead, or null when it need not wait. */
export function quietHold(policy: LimitsPolicy, m: QuietInput, due: number): number | null {
  if (m.urgent || m.purpose === 'otp') return null;
  const window = policy.quietHours[m.purpose];
  if (!window) return null;
  const zone = m.timezone ?? (byPhone(m.channel) ? recipientTimezone(m.to, undefined) : null);
  if (zone === null) return null;
  return quietUntil(due, zone, window);
}
