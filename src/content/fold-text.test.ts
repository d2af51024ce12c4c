import fc from 'fast-check';
import { from, to } from 'opencc-js/preset/t2cn';
import { describe, expect, it } from 'vitest';
import { foldText } from './fold-text.js';

const fold = (s: string) => foldText(s).text;

describe('foldText', () => {
  it.each([
    ['letter case', 'FREE Money', 'freemoney'],
    ['full-width forms', 'ＦＲＥＥ ＭＯＮＥＹ１２３', 'freemoney123'],
    ['mathematical and circled letters', '𝐟𝐫𝐞𝐞 ⓜⓞⓝⓔⓨ', 'freemoney'],
    ['ligatures', 'ﬁne', 'fine'],
    ['spaces, punctuation and symbols between letters', 'f.r.e.e  m-o-n-e-y!! ★ $', 'freemoney'],
    ['zero-width characters and variation selectors', 'f\u200Br\u200Ce\u200De\u2060\uFEFFm\uFE0Foney', 'freemoney'],
    ['accents on Latin letters, composed or not', 'frée mo\u0308ney', 'freemoney'],
    ['dotted capital I', 'İstanbul', 'istanbul'],
    ['CJK separators', '代 开*发·票　！', '代开发票'],
    ['half-width katakana with a voicing mark', 'ｶﾞｲﾄﾞ', 'ガイド'],
    ['emoji', 'free 😀 money 👍🏽', 'freemoney'],
  ])('folds away %s', (_name, input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  it('keeps the marks of non-Latin letters, which change the word', () => {
    expect(fold('किताब')).toBe('किताब');
    expect(fold('किताब')).not.toBe(fold('कताब'));
    expect(fold('가')).toBe(fold('\u1100\u1161')); // Hangul syllable and its jamo
  });

  it.each([
    ['發票', '发票'],
    ['臺灣', '台湾'],
    ['什麼', '什么'],
    ['裏面', '里面'], // Hong Kong form
    ['裡面', '里面'], // Taiwan form
    ['開發', '开发'],
  ])('writes traditional and regional Chinese %s as simplified %s', (traditional, simplified) => {
    expect(fold(traditional)).toBe(simplified);
    expect(fold(simplified)).toBe(simplified);
  });

  it('folds both sides of every one-character OpenCC conversion alike', () => {
    const groups = [...(from['hk'] ?? []), ...(from['tw'] ?? []), ...(to['cn'] ?? [])];
    const differing: string[] = [];
    let pairs = 0;
    for (const dict of groups.flat()) {
      const entries = typeof dict === 'string' ? dict.split('|').map((e) => e.split(' ')) : dict;
      for (const [a = '', b = ''] of entries) {
        if ([...a].length !== 1 || [...b].length !== 1) continue;
        pairs++;
        if (fold(a) !== fold(b)) differing.push(`${a}→${b}`);
      }
    }
    expect(pairs).toBeGreaterThan(3000);
    expect(differing).toEqual([]);
  });

  it('does not fold leetspeak, so codes and prices never spell words', () => {
    expect(fold('Fr33 m0ney 4 U')).toBe('fr33m0ney4u');
  });

  it('maps each folded unit back to the character it came from', () => {
    const original = 'Ａb  ﬁ-代\u200B開';
    const { text, start, end } = foldText(original);
    expect(text).toBe('abfi代开');
    expect([...start]).toEqual([0, 1, 4, 4, 6, 8]);
    expect([...end]).toEqual([1, 2, 5, 5, 7, 9]);
  });

  it('keeps a character with its combining marks and astral characters whole', () => {
    const original = 'x e\u0301\u0302 𝐟';
    const { text, start, end } = foldText(original);
    expect(text).toBe('xef');
    expect(original.slice(start[1], end[1])).toBe('e\u0301\u0302');
    expect(original.slice(start[2], end[2])).toBe('𝐟');
  });

  it('is idempotent and its map stays ordered and inside the text, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (original) => {
        const { text, start, end } = foldText(original);
        expect(fold(text)).toBe(text);
        expect(start.length).toBe(text.length);
        const misplaced = [...start].filter(
          (s, k) => s >= end[k]! || end[k]! > original.length || (k > 0 && s < start[k - 1]!),
        );
        expect(misplaced).toEqual([]);
      }),
    );
  });

  it('folds a text as the concatenation of its folded characters, so a term folds alike alone or inside a text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }), { maxLength: 12 }), (parts) => {
        const pieces = parts.map((p) => fold(p));
        expect(fold(parts.join(' '))).toBe(pieces.join(''));
      }),
    );
  });
});
