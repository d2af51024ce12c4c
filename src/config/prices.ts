/**
 * @module config/prices
 * The price table from TIDINGS_PRICES (JSON) or TIDINGS_PRICES_FILE, laid over the example prices:
 * each provider kind given replaces the example for that kind.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EXAMPLE_PRICES, type PriceTable } from '../core/pricing.js';

const PriceTableSchema = z.record(
  z.string(),
  z.object({
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
    perSegment: z.record(z.string().regex(/^([A-Z]{2}|\*)$/, 'an ISO country code or *'), z.number().min(0)),
  }),
);

/** TIDINGS_PRICES (JSON) or TIDINGS_PRICES_FILE (a JSON file) over the example prices. */
export function loadPrices(inline: string | undefined, file: string | undefined): PriceTable {
  if (inline === undefined && file === undefined) return EXAMPLE_PRICES;
  let text = inline;
  if (text === undefined && file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`TIDINGS_PRICES_FILE points at ${file}, which cannot be read`, { cause: err });
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch (err) {
    throw new Error('TIDINGS_PRICES is not valid JSON', { cause: err });
  }
  const parsed = PriceTableSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid TIDINGS_PRICES: ${problems}`);
  }
  return { ...EXAMPLE_PRICES, ...parsed.data };
}
