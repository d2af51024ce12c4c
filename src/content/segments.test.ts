import { describe, expect, it } from 'vitest';
import { TidingsError } from '../core/errors.js';
import { checkBody, MAX_BODY_LENGTH, measure, measureWithCalculator } from './segments.js';

// docs: shared/reference/providers.md §2, verified against sms-segments-calculator 1.3.0.
const VERIFIED: Array<[string, string, 'GSM-7' | 'UCS-2', number]> = [
  ['160 × a', 'a'.repeat(160), 'GSM-7', 1],
  ['161 × a', 'a'.repeat(161), 'GSM-7', 2],
  ['306 × a', 'a'.repeat(306), 'GSM-7', 2],
  ['307 × a', 'a'.repeat(307), 'GSM-7', 3],
  ['80 × €', '€'.repeat(80), 'GSM-7', 1],
  ['81 × €', '€'.repeat(81), 'GSM-7', 2],
  ['159 × a + {', `${'a'.repeat(159)}{`, 'GSM-7', 2],
  ['70 × 你', '你'.repeat(70), 'UCS-2', 1],
  ['71 × 你', '你'.repeat(71), 'UCS-2', 2],
  ['134 × 你', '你'.repeat(134), 'UCS-2', 2],
  ['135 × 你', '你'.repeat(135), 'UCS-2', 3],
  ['35 × 😀', '😀'.repeat(35), 'UCS-2', 1],
  ['36 × 😀', '😀'.repeat(36), 'UCS-2', 2],
  ['Hello 😀', 'Hello 😀', 'UCS-2', 1],
  // An escape pair is never split across segments.
  ['152a € 152a', `${'a'.repeat(152)}€${'a'.repeat(152)}`, 'GSM-7', 3],
  ['153a € 151a', `${'a'.repeat(153)}€${'a'.repeat(151)}`, 'GSM-7', 2],
];

describe('measure', () => {
  it.each(VERIFIED)('%s', (_name, body, encoding, segments) => {
    const result = measure(body);
    expect(result.encoding).toBe(encoding);
    expect(result.segments).toBe(segments);
    expect(measureWithCalculator(body)).toEqual(result);
  });

  it('counts extension characters as two septets in GSM-7', () => {
    expect(measure('{a}').characters).toBe(5);
    expect(measure('€'.repeat(80)).characters).toBe(160);
  });

  it('counts grapheme clusters as characters in UCS-2', () => {
    expect(measure('Hello 😀').characters).toBe(7);
    expect(measure('你好').characters).toBe(2);
  });

  it('names the characters that forced UCS-2, once each', () => {
    expect(measure('Your code: 1234').unicodeCharacters).toEqual([]);
    expect(measure('你好, 你好 😀!').unicodeCharacters).toEqual(['你', '好', '😀']);
    expect(measure('Price: 5 `USD`').unicodeCharacters).toEqual(['`']);
  });

  it('treats a lone curly quote as Unicode (a common surprise)', () => {
    expect(measure('It’s ready').encoding).toBe('UCS-2');
    expect(measure("It's ready").encoding).toBe('GSM-7');
  });

  it('measures an empty body like the calculator does', () => {
    expect(measure('')).toEqual(measureWithCalculator(''));
  });
});

describe('checkBody', () => {
  function codeOf(body: string): string | null {
    try {
      checkBody(body);
      return null;
    } catch (err) {
      if (!(err instanceof TidingsError)) throw err;
      expect(err.field).toBe('body');
      return err.code;
    }
  }

  it('refuses empty and whitespace-only bodies', () => {
    expect(codeOf('')).toBe('body_empty');
    expect(codeOf(' \n\t ')).toBe('body_empty');
  });

  it('accepts up to MAX_BODY_LENGTH characters and refuses one more', () => {
    expect(MAX_BODY_LENGTH).toBe(1600);
    expect(codeOf('a'.repeat(1600))).toBeNull();
    expect(codeOf('a'.repeat(1601))).toBe('body_too_long');
    expect(codeOf('你'.repeat(1601))).toBe('body_too_long');
  });

  it('counts an emoji once, not as two UTF-16 units', () => {
    expect(codeOf('😀'.repeat(1600))).toBeNull();
    expect(codeOf('😀'.repeat(1601))).toBe('body_too_long');
  });

  it('says how long the body was', () => {
    expect(() => checkBody('a'.repeat(2000))).toThrow(/2000 characters long; the limit is 1600/);
  });
});
