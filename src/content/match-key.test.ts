import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldedRange, toMatchKey } from './match-key.js';

/** Folded-looking text: a-z and 0-9, and any other code point (Chinese, marks, astral letters…). */
const character = fc.oneof(
  fc.constantFrom(...'az09'),
  fc.constantFrom('发', '票', '\u0301', '𠀀'),
  fc
    .integer({ min: 0x80, max: 0x10ffff })
    .filter((cp) => cp < 0xd800 || cp > 0xdfff)
    .map((cp) => String.fromCodePoint(cp)),
);
const folded = fc.array(character, { maxLength: 30 }).map((cs) => cs.join(''));

function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) found.push(i);
  return found;
}

/** Occurrences that start and end on code point boundaries, as a folded match must. */
function alignedOccurrences(haystack: string, needle: string): number[] {
  const isLow = (i: number) => haystack.charCodeAt(i) >= 0xdc00 && haystack.charCodeAt(i) <= 0xdfff;
  return occurrences(haystack, needle).filter((i) => !isLow(i) && !isLow(i + needle.length));
}

describe('toMatchKey', () => {
  it('leaves ASCII folded text as it is', () => {
    expect(toMatchKey('freemoney42')).toEqual({ key: 'freemoney42', folded: null });
  });

  it('spells everything in ASCII, never CR', () => {
    fc.assert(
      fc.property(folded, (text) => {
        const codes = [...toMatchKey(text).key].map((ch) => ch.charCodeAt(0));
        expect(codes.filter((c) => c > 0x7f || c === 0x0d)).toEqual([]);
      }),
    );
  });

  it('matches a term in the key exactly where it matches in the folded text, and maps the range back', () => {
    fc.assert(
      fc.property(folded, fc.array(character, { minLength: 1, maxLength: 3 }), (text, termCharacters) => {
        const term = termCharacters.join('');
        const key = toMatchKey(text);
        const termKey = toMatchKey(term).key;
        const ranges = occurrences(key.key, termKey).map((s) => foldedRange(text, key, s, s + termKey.length));
        const expected = alignedOccurrences(text, term).map((s) => [s, s + term.length]);
        expect(ranges).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
