/**
 * @module content/smart-encoding
 * Cost-aware encoding. One curly apostrophe pasted from Word or Google Docs, or typed on an iPhone,
 * turns a whole message into UCS-2, which holds 70 characters a segment instead of 160: a
 * 150-character reminder then costs three segments instead of one. `toGsmLookalikes` swaps such
 * look-alike characters for their GSM-7 equivalents, and only when that pays.
 *
 * All or nothing. The swap is applied only when the whole result is GSM-7 and takes no more segments
 * than the original ("…" becomes "...", so a swap can lengthen the text). If any other character
 * still needs UCS-2 (Chinese, an emoji, "Zoë"), the ORIGINAL text is returned unchanged: the message
 * costs the same either way, so degrading its punctuation would buy nothing. This is also why CJK
 * and every other script are never altered, not even their full-width punctuation.
 *
 * Exactly these characters are mapped, and nothing else:
 * - double quotes → `"`: “ ” „ ‟ (U+201C–201F), « » (U+00AB, U+00BB), ″ double prime (U+2033)
 * - single quotes and apostrophes → `'`: ‘ ’ ‚ ‛ (U+2018–201B), ‹ › (U+2039, U+203A), ′ prime
 *   (U+2032), ‵ reversed prime (U+2035), ʹ ʻ ʼ (U+02B9, U+02BB, U+02BC), ´ acute accent (U+00B4),
 *   ` grave accent (U+0060, typed as an apostrophe on some keyboards)
 * - ‴ triple prime (U+2034) → `'''`
 * - dashes and minus signs → `-`: ‐ ‑ ‒ – — ― (U+2010–2015), − minus (U+2212), ﹘ ﹣ (U+FE58, U+FE63)
 * - … ellipsis (U+2026) → `...`
 * - spaces → one ` `: no-break space (U+00A0), U+2000–200A (en/em/thin/hair… spaces), narrow
 *   no-break space (U+202F), medium mathematical space (U+205F), ideographic space (U+3000), tab
 * - line and paragraph separators (U+2028, U+2029) → line feed
 * - invisible characters, removed: soft hyphen (U+00AD), zero-width space, non-joiner and joiner,
 *   left-to-right and right-to-left marks (U+200B–200F), word joiner (U+2060), zero-width no-break
 *   space / byte order mark (U+FEFF)
 * - bullets → `-`: • ‣ (U+2022, U+2023), ⁃ hyphen bullet (U+2043), ∙ bullet operator (U+2219),
 *   ◦ white bullet (U+25E6)
 * - full-width ASCII ！…～ (U+FF01–FF5E) → the ASCII character (U+0021–007E), as NFKC does, then
 *   mapped again if that is a grave accent; full-width ￡ ￥ (U+FFE1, U+FFE5) → £ ¥
 *
 * Not mapped, on purpose: accented letters outside GSM-7 (á, ç, ë, ł…), because dropping an accent
 * changes the word (año → ano); symbols that carry meaning (° ™ × ≤ ¢ →); the middle dot, which
 * Catalan spells with (col·legi); CJK punctuation (、。), which only occurs next to CJK text.
 */
import type { Encoding } from '../core/message.js';
import { measure } from './segments.js';

export interface SmartEncoding {
  /** The text to send: the GSM-7 version when it pays, otherwise the original, unchanged. */
  text: string;
  /** Characters replaced or removed; 0 when the original is returned. */
  replacements: number;
  segmentsBefore: number;
  segmentsAfter: number;
  encodingBefore: Encoding;
  encodingAfter: Encoding;
}

const DOUBLE_QUOTES = '\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033';
const SINGLE_QUOTES = '\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u2035\u02b9\u02bb\u02bc\u00b4\u0060';
const DASHES = '\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63';
const SPACES = '\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t';
const LINE_BREAKS = '\u2028\u2029';
const INVISIBLE = '\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff';
const BULLETS = '\u2022\u2023\u2043\u2219\u25e6';

const LOOKALIKES: ReadonlyMap<string, string> = new Map([
  ...each(DOUBLE_QUOTES, '"'),
  ...each(SINGLE_QUOTES, "'"),
  ['\u2034', "'''"],
  ...each(DASHES, '-'),
  ['\u2026', '...'],
  ...each(SPACES, ' '),
  ...each(LINE_BREAKS, '\n'),
  ...each(INVISIBLE, ''),
  ...each(BULLETS, '-'),
  ['\uffe1', '£'],
  ['\uffe5', '¥'],
]);

function each(characters: string, replacement: string): [string, string][] {
  return [...characters].map((ch) => [ch, replacement]);
}

const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_WIDTH_OFFSET = 0xfee0; // U+FF01 ！ − U+0021 !

/** The GSM-7 look-alike of one UTF-16 unit, or undefined. Every mapped character is in the BMP. */
function lookalike(unit: string): string | undefined {
  const code = unit.charCodeAt(0);
  if (code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST) {
    const ascii = String.fromCharCode(code - FULL_WIDTH_OFFSET);
    return LOOKALIKES.get(ascii) ?? ascii;
  }
  return LOOKALIKES.get(unit);
}

function replaceLookalikes(text: string): { text: string; replacements: number } {
  let out = '';
  let replacements = 0;
  let copiedUpTo = 0;
  for (let i = 0; i < text.length; i++) {
    const replacement = lookalike(text[i] as string);
    if (replacement === undefined) continue;
    out += text.slice(copiedUpTo, i) + replacement;
    copiedUpTo = i + 1;
    replacements++;
  }
  return replacements === 0 ? { text, replacements } : { text: out + text.slice(copiedUpTo), replacements };
}

/**
 * `text` with look-alike characters swapped for GSM-7 ones (see the module header for the list),
 * when the result is GSM-7, not blank, and takes no more segments than `text`. Otherwise `text` itself, unchanged,
 * with `replacements` 0: when some other character still forces UCS-2 (CJK, emoji, a letter like ë),
 * swapping the punctuation would save nothing, so nothing is swapped.
 */
export function toGsmLookalikes(text: string): SmartEncoding {
  const before = measure(text);
  const unchanged: SmartEncoding = {
    text,
    replacements: 0,
    segmentsBefore: before.segments,
    segmentsAfter: before.segments,
    encodingBefore: before.encoding,
    encodingAfter: before.encoding,
  };
  if (before.encoding === 'GSM-7') return unchanged; // every mapped character is outside GSM-7
  const replaced = replaceLookalikes(text);
  if (replaced.replacements === 0) return unchanged;
  // String.trim keeps zero-width spaces, so a body of only those passed checkBody; it must not turn blank here.
  if (replaced.text.trim() === '') return unchanged;
  const after = measure(replaced.text);
  if (after.encoding !== 'GSM-7' || after.segments > before.segments) return unchanged;
  return {
    text: replaced.text,
    replacements: replaced.replacements,
    segmentsBefore: before.segments,
    segmentsAfter: after.segments,
    encodingBefore: before.encoding,
    encodingAfter: after.encoding,
  };
}

/**
 * The distinct characters that force `text` into UCS-2, in order of first appearance, as a preview
 * shows them to the author. Characters are grapheme clusters as the carrier counts them (👍🏽 is one),
 * except that an invisible format character (a zero-width joiner, say) is named on its own rather
 * than together with the GSM-7 letter it clings to: naming "a" would send the author hunting for
 * the wrong character.
 */
export function ucs2Characters(text: string): string[] {
  const found = new Set<string>();
  for (const cluster of measure(text).unicodeCharacters) {
    const [base, ...rest] = [...cluster];
    if (base !== undefined && rest.length > 0 && isGsm(base) && rest.every((ch) => FORMAT.test(ch))) {
      for (const ch of rest) found.add(ch);
    } else {
      found.add(cluster);
    }
  }
  return [...found];
}

const FORMAT = /^\p{Cf}$/u;

function isGsm(character: string): boolean {
  return measure(character).encoding === 'GSM-7';
}
