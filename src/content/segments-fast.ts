/**
 * @module content/segments-fast
 * The common case of segment counting without the calculator. `sms-segments-calculator` splits
 * text into grapheme clusters and builds an object per character, which costs ~100 µs for a
 * one-line message and grows quadratically with length; accepting 100,000 messages a second leaves
 * a few microseconds. Almost all traffic is plain GSM-7 text, or BMP text (Chinese, Cyrillic,
 * accented Latin, ...) or plain emoji, where every character is a grapheme of its own, and for those
 * the calculator's answer is simple arithmetic. Anything else (skin tones, ZWJ sequences, flags,
 * combining marks, scripts whose graphemes span several characters) returns null and goes to the
 * calculator, which stays the authority: a test checks that both agree on every character of the
 * fast tables and on generated text.
 */
import type { Encoding } from '../core/message.js';

export interface BodyMeasure {
  encoding: Encoding;
  /** How many SMS the carrier bills. */
  segments: number;
  /** GSM-7: septets (extension characters count 2). UCS-2: characters (grapheme clusters). */
  characters: number;
  /** The distinct characters that forced UCS-2, in order of first appearance. */
  unicodeCharacters: string[];
}

/** GSM 03.38 basic table (one septet each); ESC (0x1B) is not a character. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** GSM 03.38 extension table: ESC + character, two septets each. */
const GSM_EXTENSION = '\f^{}\\[~]|€';

/**
 * BMP ranges in which every code unit is a grapheme cluster by itself next to any other unit of
 * these ranges (Grapheme_Cluster_Break Other, Control, CR, LF, or a precomposed Hangul syllable).
 * Combining marks, ZWJ/ZWNJ, Hangul jamo, Indic and Thai scripts and surrogates are left out.
 */
const SINGLE_UNIT_GRAPHEMES: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x02ff], // ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifier letters
  [0x0370, 0x0482], // Greek and Coptic, Cyrillic (up to the combining titlo)
  [0x048a, 0x052f], // Cyrillic, Cyrillic Supplement
  [0x05d0, 0x05ea], // Hebrew letters (no points)
  [0x0621, 0x064a], // Arabic letters (no harakat)
  [0x0660, 0x066f], // Arabic-Indic digits and punctuation
  [0x1e00, 0x1fff], // Latin Extended Additional (Vietnamese), Greek Extended
  [0x2010, 0x2027], // dashes, quotes, bullets, ellipsis
  [0x2030, 0x205e], // per mille, primes, other punctuation
  [0x2070, 0x209c], // superscripts and subscripts
  [0x20a0, 0x20c0], // currency symbols
  [0x2100, 0x218b], // letterlike symbols, number forms
  [0x2190, 0x23ff], // arrows, mathematical operators, technical symbols
  [0x2460, 0x27bf], // enclosed alphanumerics, box drawing, shapes, symbols, dingbats
  [0x2e80, 0x2fdf], // CJK radicals, Kangxi radicals
  [0x3000, 0x3029], // CJK symbols and punctuation
  [0x3030, 0x303f],
  [0x3041, 0x3096], // Hiragana
  [0x309b, 0x30ff], // Katakana
  [0x3105, 0x312f], // Bopomofo
  [0x3131, 0x318e], // Hangul compatibility jamo (not conjoining)
  [0x3190, 0x31ff],
  [0x3200, 0x4dbf], // enclosed CJK, CJK compatibility, CJK Extension A
  [0x4dc0, 0x9fff], // Yijing hexagrams, CJK Unified Ideographs
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6b], // CJK compatibility forms, small forms
  [0xff01, 0xff9d], // full-width ASCII, half-width katakana (without the sound marks)
  [0xffe0, 0xffee], // full-width signs
];

/**
 * Emoji blocks in which every code point is a grapheme by itself next to the characters above: the
 * skin-tone modifiers (U+1F3FB–1F3FF), regional indicators (flags) and tags are left out, and the
 * ZWJ and variation selectors that build longer sequences are not in the BMP table.
 */
const SINGLE_ASTRAL_GRAPHEMES: ReadonlyArray<readonly [number, number]> = [
  [0x1f300, 0x1f3fa], // miscellaneous symbols and pictographs, up to the skin-tone modifiers
  [0x1f400, 0x1f64f], // ... the rest of them, emoticons
  [0x1f680, 0x1f6ff], // transport and map symbols
  [0x1f900, 0x1f9ff], // supplemental symbols and pictographs
];

function isSingleAstralGrapheme(codePoint: number): boolean {
  for (const [from, to] of SINGLE_ASTRAL_GRAPHEMES) if (codePoint >= from && codePoint <= to) return true;
  return false;
}

const NOT_FAST = 0;
const GSM_1 = 1;
const GSM_2 = 2;
const UNICODE = 3;

/**
 * Per UTF-16 unit: NOT_FAST, septets in GSM-7 (1 or 2), or UNICODE (a single-unit non-GSM grapheme).
 * Surrogates are NOT_FAST here; measureUnicode looks at the pair.
 */
const CLASS = buildClassTable();

function buildClassTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const [from, to] of SINGLE_UNIT_GRAPHEMES) table.fill(UNICODE, from, to + 1);
  for (const ch of GSM_BASIC) table[ch.charCodeAt(0)] = GSM_1;
  for (const ch of GSM_EXTENSION) table[ch.charCodeAt(0)] = GSM_2;
  return table;
}

const GSM_SINGLE = 160;
const GSM_MULTI = 153; // the concatenation header takes 6 octets = 7 septets of 160
const UCS2_SINGLE = 70;
const UCS2_MULTI = 67;

/** The calculator's result for `body`, or null when `body` is not a case this path knows. */
export function measureFast(body: string): BodyMeasure | null {
  const length = body.length;
  let septets = 0;
  for (let i = 0; i < length; i++) {
    const kind = CLASS[body.charCodeAt(i)];
    if (kind === NOT_FAST || kind === UNICODE) return measureUnicode(body);
    septets += kind as number;
  }
  return { encoding: 'GSM-7', segments: gsmSegments(body, septets), characters: septets, unicodeCharacters: [] };
}

function gsmSegments(body: string, septets: number): number {
  if (septets <= GSM_SINGLE) return 1;
  // An escape pair is never split: a 2-septet character that does not fit opens the next segment.
  let segments = 1;
  let used = 0;
  for (let i = 0; i < body.length; i++) {
    const cost = CLASS[body.charCodeAt(i)] as number;
    if (used + cost > GSM_MULTI) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

function measureUnicode(body: string): BodyMeasure | null {
  const length = body.length;
  let pairs = 0;
  let seen: Set<string> | undefined;
  for (let i = 0; i < length; i++) {
    const kind = CLASS[body.charCodeAt(i)];
    if (kind === UNICODE) {
      (seen ??= new Set()).add(body[i] as string);
    } else if (kind === NOT_FAST) {
      // A lone surrogate yields its own unit here, which is outside every astral range.
      if (!isSingleAstralGrapheme(body.codePointAt(i) as number)) return null;
      (seen ??= new Set()).add(body.slice(i, i + 2));
      pairs++;
      i++;
    }
  }
  return {
    encoding: 'UCS-2',
    segments: ucs2Segments(body, pairs),
    // Every character is one grapheme: one UTF-16 unit, or a surrogate pair.
    characters: length - pairs,
    unicodeCharacters: seen ? [...seen] : [],
  };
}

function ucs2Segments(body: string, pairs: number): number {
  if (body.length <= UCS2_SINGLE) return 1;
  if (pairs === 0) return Math.ceil(body.length / UCS2_MULTI);
  // A surrogate pair is never split: one that does not fit opens the next segment.
  let segments = 1;
  let used = 0;
  for (let i = 0; i < body.length; i++) {
    const unit = body.charCodeAt(i);
    const cost = unit >= 0xd800 && unit <= 0xdbff ? 2 : 1;
    if (used + cost > UCS2_MULTI) {
      segments++;
      used = 0;
    }
    used += cost;
    i += cost - 1;
  }
  return segments;
}
