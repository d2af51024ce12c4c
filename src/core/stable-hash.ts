/**
 * @module core/stable-hash
 * A fast, stable 32-bit hash of a string, for choices that must be the same every time for the
 * same input without storing them: a message's A/B variant, its weighted route, a recipient's
 * sticky sender. FNV-1a alone spreads monotonic ULIDs (which differ only in their last characters)
 * badly, so it is finished with MurmurHash3's fmix32. Never change it: choices already made (and
 * reported in experiments) would move.
 */
export function stableHash(text: string): number {
  return fmix32(fnv1a32(text));
}

/** `stableHash` mapped onto [0, 1). */
export function stableFraction(text: string): number {
  return stableHash(text) / 2 ** 32;
}

export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
