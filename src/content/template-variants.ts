/**
 * @module content/template-variants
 * Which A/B variant of a template a message gets. The choice is a pure function of the message id,
 * so it needs no storage, survives retries and restarts, and can be recomputed when results are
 * compared later. Message ids are monotonic ULIDs that often differ only in the last character, so
 * the hash (FNV-1a 32-bit, finished with MurmurHash3's fmix32 to spread those small differences over
 * all 32 bits) must not be changed: that would move messages already sent to other variants.
 *
 * Weights are relative shares (10 and 90, or 0.1 and 0.9); a weight of 0 switches a variant off
 * without deleting it, and is never chosen.
 */
import { fnv1a32, stableHash } from '../core/stable-hash.js';

export interface WeightedVariant {
  readonly name: string;
  readonly weight: number;
}

/** Why a list of variants cannot be used; `index` points at the variant at fault, when one is. */
export class VariantError extends Error {
  override readonly name = 'VariantError';
  constructor(
    message: string,
    readonly index?: number,
  ) {
    super(message);
  }
}

/** @throws VariantError for no variants, a nameless, duplicate or negative/non-finite one, or weights summing to 0. */
export function validateVariants(variants: readonly WeightedVariant[]): void {
  if (variants.length === 0) throw new VariantError('Give at least one variant.');
  const seen = new Set<string>();
  let total = 0;
  variants.forEach((variant, index) => {
    const { name, weight } = variant;
    if (typeof name !== 'string' || name.trim() === '') {
      throw new VariantError(`Variant ${index} has no name.`, index);
    }
    if (seen.has(name)) throw new VariantError(`Two variants are named "${name}"; names must differ.`, index);
    seen.add(name);
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new VariantError(
        `Variant "${name}" has weight ${String(weight)}; a weight is a number of 0 or more.`,
        index,
      );
    }
    total += weight;
  });
  if (total <= 0) throw new VariantError('All variant weights are 0; at least one must be positive.');
}

/**
 * The variant for this message: the same id always gets the same variant, and over many ids each
 * variant's share approaches weight / total. Expects variants that pass validateVariants.
 */
export function chooseVariant<V extends WeightedVariant>(variants: readonly V[], messageId: string): V {
  let total = 0;
  for (const v of variants) total += v.weight > 0 ? v.weight : 0;
  if (!(total > 0) || !Number.isFinite(total)) {
    throw new VariantError('No variant has a positive weight.');
  }
  const point = (variantHash(messageId) / 2 ** 32) * total;
  let cumulative = 0;
  let last: V | undefined;
  for (const v of variants) {
    if (!(v.weight > 0)) continue;
    cumulative += v.weight;
    last = v;
    if (point < cumulative) return v;
  }
  // Only reachable through float rounding at the very top of the range.
  return last!;
}

/** The 32-bit unsigned hash that places a message id (see core/stable-hash: never change it). */
export function variantHash(messageId: string): number {
  return stableHash(messageId);
}

export { fnv1a32 };
