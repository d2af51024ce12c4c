import { describe, expect, it } from 'vitest';
import { fixedSizeChunks, paddedInList } from './statement-shapes.js';

describe('statement shapes', () => {
  it('cuts any list into runs of a few fixed sizes, keeping every item once and in order', () => {
    for (const n of [0, 1, 3, 5, 17, 300, 1000, 1337]) {
      const items = Array.from({ length: n }, (_, i) => i);
      const chunks = fixedSizeChunks(items);
      expect(chunks.flat()).toEqual(items);
      expect(chunks.every((c) => [256, 64, 16, 4, 1].includes(c.length))).toBe(true);
    }
    expect(fixedSizeChunks(Array.from({ length: 300 }, (_, i) => i)).map((c) => c.length)).toEqual([
      256, 16, 16, 4, 4, 4,
    ]);
  });

  it('pads IN lists to the next fixed size with a value already present', () => {
    expect(paddedInList(['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'c']);
    expect(paddedInList(['a'])).toEqual(['a']);
    expect(paddedInList([])).toEqual([]);
    const padded = paddedInList(Array.from({ length: 70 }, (_, i) => `id${i}`));
    expect(padded.length).toBe(256);
    expect(new Set(padded).size).toBe(70);
  });
});
