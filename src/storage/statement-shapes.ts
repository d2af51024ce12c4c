/**
 * @module storage/statement-shapes
 * A statement's SQL text changes with the length of its IN list or VALUES list, and every new
 * text is a new prepared statement. Cutting lists into a few fixed sizes (and padding IN lists,
 * where a repeated value changes nothing) keeps the number of distinct statements small, so the
 * statement cache keeps hitting.
 */
const SIZES = [256, 64, 16, 4, 1];

/** Splits items into runs whose lengths are all in SIZES. */
export function fixedSizeChunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  let start = 0;
  while (start < items.length) {
    const size = SIZES.find((s) => s <= items.length - start) ?? 1;
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

const IN_SIZES = [1, 4, 16, 64, 256, 1024];

/** Pads an IN list to the next fixed size by repeating its last value. */
export function paddedInList<T>(values: readonly T[]): T[] {
  const last = values[values.length - 1];
  const size = IN_SIZES.find((s) => s >= values.length);
  if (last === undefined || size === undefined || size === values.length) return [...values];
  const out = [...values];
  while (out.length < size) out.push(last);
  return out;
}
