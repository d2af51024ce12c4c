/**
 * @module core/fallback
 * Channel fallback: when a message cannot reach its recipient on one channel (it failed for good,
 * or was not delivered in time), it moves to the next channel the caller listed, on the same
 * message, with every attempt in its one event log. These rules say where it goes next.
 */
import type { Channel, Contacts } from './message.js';

/** The address a channel sends to, from the recipient's contact points; null when there is none. */
export function addressFor(channel: Channel, contacts: Contacts | null): string | null {
  if (!contacts) return null;
  switch (channel) {
    case 'sms':
    case 'voice':
      return contacts.phone ?? null;
    case 'email':
      return contacts.email ?? null;
    case 'push':
      return contacts.push?.endpoint ?? null;
  }
}

/** Statuses after which moving on makes no sense: the recipient has it, or the caller withdrew it. */
export const FALLBACK_BLOCKED = new Set(['delivered', 'canceled']);
