/**
 * @module app/resolve-recipient
 * Where a message goes on each channel it may use. `to` is the phone number for `sms` and `voice`
 * (normalized to E.164) or the address for `email`; a `push` message needs `recipient.push`. Every
 * fallback channel is checked now, at acceptance: a caller learns at once that "fall back to
 * e-mail" cannot work without an e-mail address, rather than when the SMS has already failed.
 */
import { addressFor } from '../core/fallback.js';
import { TidingsError } from '../core/errors.js';
import type { Channel, Contacts, PushContact } from '../core/message.js';
import { chooseProvider } from '../core/routing.js';
import { normalizeRecipient } from '../content/phone.js';
import type { AppDeps } from './deps.js';

export interface RecipientInput {
  to?: string;
  channel?: Channel;
  fallback?: Channel[];
  recipient?: { timezone?: string; email?: string; push?: PushContact };
}

export interface ResolvedRecipient {
  channel: Channel;
  /** The address on `channel`. */
  to: string;
  contacts: Contacts | null;
  fallback: Channel[];
  /** The phone number's country (ISO 3166 alpha-2), known from normalizing it; null without a phone. */
  country: string | null;
}

// Deliberately loose: the mail server is the judge; this only catches what is plainly not an address.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{1,63}$/;

function checkEmail(value: string, field: string): string {
  if (!EMAIL.test(value)) throw new TidingsError('invalid_email', `"${value}" is not an e-mail address.`, field);
  return value;
}

function checkProvider(deps: AppDeps, channel: Channel, field: string): void {
  if (!chooseProvider(deps.providers, channel)) {
    throw new TidingsError('channel_unavailable', `No provider is configured for channel "${channel}".`, field);
  }
}

export function resolveRecipient(deps: AppDeps, req: RecipientInput): ResolvedRecipient {
  const channel = req.channel ?? 'sms';
  checkProvider(deps, channel, 'channel');
  const contacts: Contacts = {};
  let country: string | null = null;
  if (req.recipient?.email !== undefined) contacts.email = checkEmail(req.recipient.email, 'recipient.email');
  if (req.recipient?.push !== undefined) contacts.push = req.recipient.push;

  if (channel === 'email') {
    if (req.to !== undefined) contacts.email = checkEmail(req.to, 'to');
  } else if (req.to !== undefined && !(channel === 'push' && req.to === req.recipient?.push?.endpoint)) {
    const phone = normalizeRecipient(req.to, {
      defaultRegion: deps.settings.defaultRegion as Parameters<typeof normalizeRecipient>[1]['defaultRegion'],
      channel: channel === 'voice' || (req.fallback ?? []).includes('voice') ? 'voice' : 'sms',
    });
    contacts.phone = phone.e164;
    country = phone.country;
  }

  const to = addressFor(channel, contacts);
  if (to === null) {
    const need = { sms: 'to', voice: 'to', email: 'to (an e-mail address)', push: 'recipient.push' }[channel];
    throw new TidingsError(
      'validation_failed',
      `A ${channel} message needs ${need}.`,
      channel === 'push' ? 'recipient.push' : 'to',
    );
  }

  const fallback = req.fallback ?? [];
  const seen = new Set<Channel>([channel]);
  fallback.forEach((next, i) => {
    const field = `fallback.${i}`;
    if (seen.has(next)) throw new TidingsError('validation_failed', `"${next}" is already in the chain.`, field);
    seen.add(next);
    checkProvider(deps, next, field);
    if (addressFor(next, contacts) === null) {
      const need = {
        sms: 'to (a phone number)',
        voice: 'to (a phone number)',
        email: 'recipient.email',
        push: 'recipient.push',
      }[next];
      throw new TidingsError('validation_failed', `Falling back to ${next} needs ${need}.`, field);
    }
  });
  const hasContacts = Object.keys(contacts).length > 0;
  // Contacts are stored only when a fallback may need them; a plain SMS stays as small as before.
  return { channel, to, contacts: fallback.length > 0 && hasContacts ? contacts : null, fallback, country };
}
