/**
 * @module core/sender-rate
 * How fast a sender may send, and how fast a new sender may grow. Carriers meter throughput per
 * sending number, in message segments per second, and the rate follows from the number's kind:
 * Twilio releases a US/Canadian long code at 1 segment a second, a toll-free number at 3, a short
 * code at up to 100, and numbers and sender ids outside +1 at 10. A number that suddenly sends at
 * full volume is what spam looks like to a carrier, so a new one is warmed up: a small daily
 * allowance that doubles each day until it reaches the target.
 */

const TOLL_FREE = /^\+1(800|833|844|855|866|877|888)\d{7}$/;

/** Segments per second for a sender of a provider kind, or null when its format says nothing. */
export function senderRateFromFormat(providerKind: string, sender: string): number | null {
  if (providerKind !== 'twilio') return null;
  if (/^\d{3,8}$/.test(sender)) return 100; // short code
  if (TOLL_FREE.test(sender)) return 3;
  if (/^\+1\d{10}$/.test(sender)) return 1; // US/Canadian long code
  if (/^\+\d{6,15}$/.test(sender)) return 10;
  if (/^MG[0-9a-f]{32}$/i.test(sender)) return null; // a Messaging Service paces its own pool
  if (/^[A-Za-z0-9 ]{1,11}$/.test(sender)) return 10; // alphanumeric sender id
  return null;
}

/** Messages a warming sender may send on its `day`-th day (1 = the first): `first`, doubling daily up to `target`. */
export function warmUpAllowance(day: number, target: number, first: number): number {
  if (day < 1) return Math.min(first, target);
  // 2^40 is beyond any target; the cap keeps the power finite.
  return Math.min(target, first * 2 ** Math.min(day - 1, 40));
}
