import { describe, expect, it } from 'vitest';
import { measureFast } from './segments-fast.js';
import { measure, measureWithCalculator } from './segments.js';

/** mulberry32: a tiny seeded PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every character the fast path answers for: BMP units, and emoji from the planes above. */
const FAST_CHARS: string[] = [];
for (let codePoint = 0; codePoint < 0x20000; codePoint++) {
  const ch = String.fromCodePoint(codePoint);
  if (measureFast(ch) !== null) FAST_CHARS.push(ch);
}

/** The mismatches between the fast path and the calculator, when the fast path answers. */
function disagreements(bodies: Iterable<string>): Array<{ body: string; fast: unknown; calculator: unknown }> {
  const found = [];
  for (const body of bodies) {
    const fast = measureFast(body);
    if (fast === null) continue;
    const calculator = measureWithCalculator(body);
    if (JSON.stringify(fast) !== JSON.stringify(calculator)) found.push({ body, fast, calculator });
    if (found.length >= 5) break;
  }
  return found;
}

describe('measureFast agrees with sms-segments-calculator', () => {
  it('covers the GSM-7 alphabet and the common scripts', () => {
    for (const sample of [
      'a',
      '€',
      '{',
      '\n',
      'Ä',
      'Δ',
      '你',
      'ж',
      'ă',
      'ệ',
      '한',
      'カ',
      '，',
      '’',
      '•',
      '😀',
      '🚀',
      '🤖',
    ]) {
      expect(FAST_CHARS, sample).toContain(sample);
    }
    // Combining acute, ZWJ, VS16, Thai sara am, a conjoining jamo, a lone surrogate, a skin tone, a flag letter.
    for (const slow of ['\u0301', '\u200d', '\ufe0f', '\u0e33', '\u1100', '\ud83d', '\u{1f3fd}', '\u{1f1e9}']) {
      expect(FAST_CHARS, `U+${slow.codePointAt(0)?.toString(16)}`).not.toContain(slow);
    }
  });

  it('on every single character it answers for', () => {
    expect(disagreements(FAST_CHARS)).toEqual([]);
  });

  it('on every character next to itself and its neighbours (none joins a grapheme cluster)', () => {
    // Each character c is checked after an ideograph, before one, after itself and after ☝ (an
    // emoji base): a combining mark, ZWJ, prepend, conjoining jamo, regional indicator or emoji
    // modifier would merge with its neighbour and make the calculator count fewer characters.
    const bodies: string[] = [];
    for (let i = 0; i < FAST_CHARS.length; i += 100) {
      bodies.push(
        '你' +
          FAST_CHARS.slice(i, i + 100)
            .map((c) => `${c}${c}\u261d${c}你`)
            .join(''),
      );
    }
    expect(disagreements(bodies)).toEqual([]);
  });

  it('on line breaks, which the calculator splits even as CRLF', () => {
    expect(disagreements(['a\r\nb', '你\r\n好', '\r\n'.repeat(100), `${'你'.repeat(69)}\r\n`])).toEqual([]);
  });

  it('on a few thousand generated messages around the segment boundaries', () => {
    const random = prng(20240611);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const range = (from: number, to: number) => String.fromCharCode(from + Math.floor(random() * (to - from + 1)));
    const gsm = [...'@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà\n\r'];
    const profiles: Record<string, () => string> = {
      ascii: () => (random() < 0.8 ? range(0x61, 0x7a) : pick([' ', '.', ',', '0', '7', 'A', 'Z'])),
      gsm: () => (random() < 0.7 ? range(0x61, 0x7a) : pick(gsm)),
      extension: () => (random() < 0.85 ? range(0x61, 0x7a) : pick([...'\f^{}\\[~]|€'])),
      chinese: () => (random() < 0.7 ? range(0x4e00, 0x9fff) : pick([...'，。！【】1234 abc'])),
      cyrillic: () => (random() < 0.8 ? range(0x0410, 0x044f) : pick([' ', '.', '1', '—', '«', '»'])),
      latin: () => (random() < 0.7 ? range(0x61, 0x7a) : pick([...'ąćęłńóśźżčřšžőűăâîșțệ’“” '])),
      emoji: () => (random() < 0.8 ? range(0x61, 0x7a) : pick(['😀', '🚀', '🤖', '🎉', '👍', '你'])),
      anyFast: () => pick(FAST_CHARS),
      slow: () => (random() < 0.9 ? range(0x61, 0x7a) : pick(['😀', '\u0301', '👍🏽', '❤️', 'ก', 'ำ', '🇩🇪', '‍'])),
    };
    const boundaries = [67, 70, 134, 153, 160, 201, 268, 306, 307, 320];
    const answered: Record<string, number> = {};
    const bodies: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const profile = pick(Object.keys(profiles));
      const length =
        random() < 0.5 ? Math.max(0, pick(boundaries) + Math.floor(random() * 7) - 3) : Math.floor(random() * 330);
      let body = '';
      while (body.length < length) body += (profiles[profile] as () => string)();
      bodies.push(body);
      if (measureFast(body) !== null) answered[profile] = (answered[profile] ?? 0) + 1;
      // Whichever path answers, measure() must match the calculator.
      if (n % 10 === 0) expect(measure(body)).toEqual(measureWithCalculator(body));
    }
    expect(disagreements(bodies)).toEqual([]);
    // The generators for fast text must actually exercise the fast path.
    for (const profile of ['ascii', 'gsm', 'extension', 'chinese', 'cyrillic', 'latin', 'emoji', 'anyFast']) {
      expect(answered[profile], profile).toBeGreaterThan(250);
    }
  });
});
