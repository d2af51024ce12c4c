/**
 * @module core/pricing
 * What a message is expected to cost: a price per segment, per provider kind and destination
 * country, from a table the operator configures. Providers that report their real price later
 * (Twilio's `price`) overwrite the estimate; the estimate is what every message has at once.
 */
export interface Money {
  amount: number;
  currency: string;
}

/**
 * Provider kind → { currency, prices per segment by ISO country, `*` for anywhere else }.
 * Channels priced per message rather than per segment (voice call, e-mail, push) use `*` or the
 * country of the number, times 1.
 */
export interface PriceTable {
  [providerKind: string]: { currency: string; perSegment: Record<string, number> };
}

/**
 * Example list prices (USD per segment, late 2026) so a new install shows plausible costs.
 * They are examples, not quotes: set TIDINGS_PRICES with your contract's figures.
 */
export const EXAMPLE_PRICES: PriceTable = {
  sim: { currency: 'USD', perSegment: { US: 0.0083, CA: 0.0083, GB: 0.0463, CN: 0.0077, '*': 0.05 } },
  twilio: { currency: 'USD', perSegment: { US: 0.0083, CA: 0.0083, GB: 0.0463, DE: 0.0874, CN: 0.0593, '*': 0.06 } },
  aliyun: { currency: 'CNY', perSegment: { CN: 0.045, '*': 0.4 } },
  tencent: { currency: 'CNY', perSegment: { CN: 0.045, '*': 0.4 } },
  sns: { currency: 'USD', perSegment: { US: 0.00581, CN: 0.04289, '*': 0.05 } },
  'twilio-voice': { currency: 'USD', perSegment: { US: 0.014, '*': 0.1 } },
  smtp: { currency: 'USD', perSegment: { '*': 0 } },
  webpush: { currency: 'USD', perSegment: { '*': 0 } },
};

/** Estimated cost of `units` segments (or 1 for per-message channels) to `country`, or null if unpriced. */
export function estimateCost(
  table: PriceTable,
  providerKind: string,
  country: string | null,
  units: number,
): Money | null {
  const entry = table[providerKind];
  if (!entry) return null;
  const price = (country !== null ? entry.perSegment[country] : undefined) ?? entry.perSegment['*'];
  if (price === undefined) return null;
  // Six decimals: sub-cent per-segment prices times a few segments, without float noise.
  return { amount: Math.round(price * units * 1e6) / 1e6, currency: entry.currency };
}
