import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureWithCalculator } from './segments.js';
import { toGsmLookalikes, ucs2Characters } from './smart-encoding.js';

/** Every mapped character, by class, as the module header lists them, with what it must become. */
const CLASSES: Array<[string, string, string]> = [
  ['double quotes', '\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033', '"'],
  ['single quotes and apostrophes', '\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u2035\u02b9\u02bb\u02bc\u00b4`', "'"],
  ['triple prime', '\u2034', "'''"],
  ['dashes and minus signs', '\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63', '-'],
  ['ellipsis', '\u2026', '...'],
  [
    'Unicode spaces and tab',
    '\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t',
    ' ',
  ],
  ['line and paragraph separators', '\u2028\u2029', '\n'],
  ['invisible characters', '\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff', ''],
  ['bullets', '\u2022\u2023\u2043\u2219\u25e6', '-'],
  ['full-width pound and yen', '\uffe1', '£'],
  ['', '\uffe5', '¥'],
];

describe('toGsmLookalikes: each mapped class', () => {
  it.each(CLASSES)('%s', (_name, characters, replacement) => {
    for (const ch of characters) {
      const result = toGsmLookalikes(`Hi A${ch}B ok`);
      expect(result.text, `U+${ch.charCodeAt(0).toString(16)}`).toBe(`Hi A${replacement}B ok`);
      expect(result.replacements).toBe(1);
      expect(result.encodingBefore).toBe('UCS-2');
      expect(result.encodingAfter).toBe('GSM-7');
    }
  });

  it('maps full-width ASCII to ASCII, and a full-width grave accent on to an apostrophe', () => {
    expect(toGsmLookalikes('Ｓａｌｅ！ ５０％ ｏｆｆ ＠ｓｈｏｐ ｛ｘ｝').text).toBe('Sale! 50% off @shop {x}');
    expect(toGsmLookalikes('ｄｏｎ｀ｔ').text).toBe("don't");
    // All 94 of them, in one message.
    let fullWidth = '';
    let ascii = '';
    for (let code = 0x21; code <= 0x7e; code++) {
      fullWidth += String.fromCharCode(code + 0xfee0);
      ascii += code === 0x60 ? "'" : String.fromCharCode(code);
    }
    const result = toGsmLookalikes(fullWidth);
    expect(result.text).toBe(ascii);
    expect(result.replacements).toBe(94);
  });

  it('counts each replaced or removed character once', () => {
    const result = toGsmLookalikes('“Don’t wait” — offer ends Friday…\u200b');
    expect(result.text).toBe('"Don\'t wait" - offer ends Friday...');
    expect(result.replacements).toBe(6);
  });

  it('leaves alone what it does not list: accents, meaningful symbols, the middle dot', () => {
    for (const text of ['Siobhán’s order', 'It’s 21° today', 'col·legi’s', 'Zoë’s', 'Temp ≤ 5 — stay in']) {
      const result = toGsmLookalikes(text);
      expect(result.text).toBe(text);
      expect(result.replacements).toBe(0);
      expect(result.encodingAfter).toBe('UCS-2');
    }
  });

  it('never turns a body into a blank one', () => {
    for (const text of ['\u200b', '\ufeff\u200b', '\u00a0', '\u200b\u3000\t']) {
      expect(toGsmLookalikes(text).text).toBe(text);
      expect(toGsmLookalikes(text).replacements).toBe(0);
    }
  });

  it('returns GSM-7 text as it is', () => {
    const result = toGsmLookalikes("Your code is 123456. Don't share it {ever}.");
    expect(result).toEqual({
      text: "Your code is 123456. Don't share it {ever}.",
      replacements: 0,
      segmentsBefore: 1,
      segmentsAfter: 1,
      encodingBefore: 'GSM-7',
      encodingAfter: 'GSM-7',
    });
  });
});

describe('toGsmLookalikes: text that stays UCS-2 is not touched', () => {
  it('never changes Chinese, not even its full-width punctuation or curly quotes', () => {
    for (const text of [
      '【顺丰速运】您的快递已到“菜鸟驿站”，取件码：８８２１。如有疑问请致电９５３３８…',
      '【招商银行】您尾号1234的账户于11月24日消费人民币128.00元。',
      '您好！明天　上午10:00—11:00 送达，请保持电话畅通。',
    ]) {
      const result = toGsmLookalikes(text);
      expect(result.text).toBe(text);
      expect(result.replacements).toBe(0);
      expect(result.encodingBefore).toBe('UCS-2');
      expect(result.encodingAfter).toBe('UCS-2');
      expect(result.segmentsAfter).toBe(result.segmentsBefore);
    }
  });

  it('keeps an emoji, and with it UCS-2 and the curly quotes', () => {
    const text = 'It’s here 🎉 — your order #4411 has shipped…';
    const result = toGsmLookalikes(text);
    expect(result.text).toBe(text);
    expect(result.encodingAfter).toBe('UCS-2');
    expect(result.replacements).toBe(0);
  });

  it('keeps a zero-width joiner that builds an emoji', () => {
    const family = '\u{1f469}\u200d\u{1f469}\u200d\u{1f467}';
    expect(toGsmLookalikes(`Family plan ${family} – 3 lines`).text).toBe(`Family plan ${family} – 3 lines`);
  });
});

describe('toGsmLookalikes: segments', () => {
  const withQuote = (length: number): string => `’${'a'.repeat(length - 1)}`;

  it.each([
    // length, UCS-2 segments before (70 single, 67 each when split), GSM-7 after (160 / 153)
    [70, 1, 1],
    [71, 2, 1],
    [134, 2, 1],
    [135, 3, 1],
    [160, 3, 1],
    [161, 3, 2],
    [306, 5, 2],
    [307, 5, 3],
  ])('%i characters with one curly apostrophe: %i UCS-2 segments → %i GSM-7', (length, before, after) => {
    const result = toGsmLookalikes(withQuote(length));
    expect(result.segmentsBefore).toBe(before);
    expect(result.segmentsAfter).toBe(after);
    expect(result.text).toBe(`'${'a'.repeat(length - 1)}`);
    expect(measureWithCalculator(result.text).segments).toBe(after);
    expect(measureWithCalculator(withQuote(length)).segments).toBe(before);
  });

  it('counts GSM-7 extension characters as two septets', () => {
    // ’ + 79 × € is 80 UCS-2 characters (2 segments), and 1 + 158 = 159 septets in GSM-7 (1 segment).
    const fits = toGsmLookalikes(`’${'€'.repeat(79)}`);
    expect([fits.segmentsBefore, fits.segmentsAfter]).toEqual([2, 1]);
    // ’ + 80 × € is 161 septets: 2 segments either way, and the swap still happens (GSM-7 is safer).
    const equal = toGsmLookalikes(`’${'€'.repeat(80)}`);
    expect([equal.segmentsBefore, equal.segmentsAfter]).toEqual([2, 2]);
    expect(equal.encodingAfter).toBe('GSM-7');
    expect(equal.replacements).toBe(1);
  });

  it('applies at equal segments, because the encoding becomes GSM-7', () => {
    const result = toGsmLookalikes('See you at 9 — Dr Lee’s office');
    expect([result.segmentsBefore, result.segmentsAfter]).toEqual([1, 1]);
    expect(result.encodingAfter).toBe('GSM-7');
    expect(result.text).toBe("See you at 9 - Dr Lee's office");
  });

  it('refuses a swap that would add segments (an ellipsis becomes three characters)', () => {
    const text = '…'.repeat(70); // 1 UCS-2 segment; 210 septets would be 2 GSM-7 segments
    const result = toGsmLookalikes(text);
    expect(result.text).toBe(text);
    expect(result.replacements).toBe(0);
    expect([result.segmentsBefore, result.segmentsAfter]).toEqual([1, 1]);
    expect(result.encodingAfter).toBe('UCS-2');
  });
});

describe('toGsmLookalikes: properties', () => {
  // The calculator is slow on long text; shrinking a failure through it would take minutes.
  const options = { endOnFailure: true };
  const gsm = fc.constantFrom(...'abcXYZ 019.,!?@£$_{}€[]\n');
  const mapped = fc.constantFrom(...CLASSES.flatMap(([, chars]) => [...chars]), 'Ａ', '｀', '～');
  const foreign = fc.constantFrom('你', '好', '😀', 'ë', 'Ω̈', 'ł', '°', '👍🏽');

  it('never adds segments, and agrees with the calculator', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(gsm, mapped), { maxLength: 400 }), (parts) => {
        const text = parts.join('');
        const result = toGsmLookalikes(text);
        expect(result.segmentsAfter).toBeLessThanOrEqual(result.segmentsBefore);
        const calculated = measureWithCalculator(result.text);
        expect([calculated.encoding, calculated.segments]).toEqual([result.encodingAfter, result.segmentsAfter]);
        if (result.text !== text) expect(result.encodingAfter).toBe('GSM-7');
      }),
      options,
    );
  });

  it('returns the original text whenever another character forces UCS-2', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(gsm, mapped), { maxLength: 200 }), foreign, fc.nat(), (parts, odd, at) => {
        parts.splice(at % (parts.length + 1), 0, odd);
        const text = parts.join('');
        expect(toGsmLookalikes(text).text).toBe(text);
      }),
      options,
    );
  });
});

describe('ucs2Characters', () => {
  it('is empty for GSM-7 text', () => {
    expect(ucs2Characters('Code 1234 {valid} 5 min, €2')).toEqual([]);
  });

  it('names each character once, in order of first appearance', () => {
    expect(ucs2Characters('Hi “you” 😀 你好 “again” 😀')).toEqual(['“', '”', '😀', '你', '好']);
  });

  it('names an emoji sequence as the one character a reader sees', () => {
    expect(ucs2Characters('ok 👍🏽 and 🇬🇧')).toEqual(['👍🏽', '🇬🇧']);
  });

  it('names an invisible format character alone, not with the letter before it', () => {
    expect(ucs2Characters('a\u200db and c\u200cd')).toEqual(['\u200d', '\u200c']);
    expect(ucs2Characters('x\u00a0y')).toEqual(['\u00a0']);
  });

  it('keeps an accented letter whole when it is built from a combining mark', () => {
    expect(ucs2Characters('cafe\u0301')).toEqual(['e\u0301']);
  });
});
