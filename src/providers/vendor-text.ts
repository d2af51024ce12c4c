/**
 * @module providers/vendor-text
 * Vendor error text on its way into our errors, and so into logs: carriers quote the recipient's
 * number back ("The 'To' number +1555… is not valid"), and a proxy may answer a whole HTML page.
 */
import { maskPhone } from '../core/masking.js';

const NUMBER_IN_TEXT = /\+?\d{7,15}/g;

/** Every run of 7 to 15 digits (with an optional +) masked as a phone number. */
export function maskNumbers(text: string): string {
  return text.replace(NUMBER_IN_TEXT, (m) => maskPhone(m));
}

/** A body cut to one line of at most 200 characters, numbers masked, to keep as an error's cause. */
export function snippet(body: string): string {
  const flat = maskNumbers(body.replace(/\s+/g, ' ').trim());
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
