/**
 * @module content/fold-text
 * The form banned terms are matched in, where the usual disguises fall away: full-width and other
 * compatibility forms (NFKC), letter case, accents on Latin letters, anything between letters that
 * is not a letter or digit (spaces, punctuation, symbols, zero-width characters), and traditional,
 * regional or simplified Chinese. Terms and messages go through the same function, so a term
 * matches wherever its folded form occurs in the folded message.
 *
 * Every folded UTF-16 unit remembers the span of the caller's text it came from, so a hit can be
 * reported, and its word boundaries checked, in the caller's own text.
 *
 * Leetspeak (0 → o, 4 → a, $ → s…) is deliberately not folded: digits would then spell words, and
 * an OTP code or a price could hit a banned term. An operator who cares lists the variants.
 */
import { hanRepresentative } from './han-variants.js';

export interface FoldedText {
  /** Letters, digits, and marks on letters outside a-z; lower case, simplified Chinese. */
  readonly text: string;
  /** For each UTF-16 unit of `text`, where its source character starts in the original text. */
  readonly start: Int32Array;
  /** …and where that source character (with its combining marks) ends, exclusive. */
  readonly end: Int32Array;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;
// Zero-width spaces and joiners, variation selectors, the Hangul filler: invisible, so never part of a word.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

/** Folded form of each ASCII character: lower-case letters and digits stay, the rest disappears. */
const ASCII = Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c).toLowerCase();
  return /[a-z0-9]/.test(ch) ? ch : '';
});

export function foldText(original: string): FoldedText {
  const n = original.length;
  let text = '';
  // Folding rarely lengthens text (ligatures, "㎏"…); the arrays grow when it does.
  let start: Int32Array = new Int32Array(n);
  let end: Int32Array = new Int32Array(n);
  let length = 0;
  let i = 0;
  while (i < n) {
    const unitStart = i;
    const cp = original.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    // A character travels with its combining marks, so "e" + U+0301 folds like "é".
    while (i < n && original.charCodeAt(i) >= 0x300 && joinsPrevious(original, i)) {
      i += original.codePointAt(i)! > 0xffff ? 2 : 1;
    }
    const single = i - unitStart === (cp > 0xffff ? 2 : 1);
    let folded: string;
    if (single && cp < 0x80) folded = ASCII[cp]!;
    else if (single && isUnifiedHan(cp)) folded = String.fromCodePoint(hanRepresentative(cp));
    else folded = foldCharacter(original.slice(unitStart, i));
    if (folded === '') continue;
    if (length + folded.length > start.length) {
      start = grow(start, length + folded.length);
      end = grow(end, length + folded.length);
    }
    for (let k = 0; k < folded.length; k++, length++) {
      start[length] = unitStart;
      end[length] = i;
    }
    text += folded;
  }
  return { text, start: start.subarray(0, length), end: end.subarray(0, length) };
}

function grow(array: Int32Array, needed: number): Int32Array {
  const bigger = new Int32Array(Math.max(needed, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** One character with its combining marks; the slow path, for everything but ASCII and common Han. */
function foldCharacter(character: string): string {
  let kept = '';
  // Marks are kept only after a kept letter outside ASCII: Devanagari vowel signs change the word,
  // but accents on a-z are a cheap disguise ("frée"), and marks on a dropped symbol go with it.
  let marksCount = false;
  for (const ch of character.normalize('NFKD').toLowerCase()) {
    if (IGNORABLE.test(ch)) continue;
    if (MARK.test(ch)) {
      if (marksCount) kept += ch;
    } else if (LETTER_OR_DIGIT.test(ch)) {
      kept += ch;
      marksCount = ch >= '\x80';
    } else {
      marksCount = false;
    }
  }
  let folded = '';
  for (const ch of kept.normalize('NFC')) folded += String.fromCodePoint(hanRepresentative(ch.codePointAt(0)!));
  return folded;
}

/** Whether the code point at i belongs to the character before it. */
function joinsPrevious(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  // Half-width katakana voicing marks are letters, but NFKD makes them combining marks: "ｶﾞ" is "ガ".
  if (c === 0xff9e || c === 0xff9f) return true;
  // Hangul vowel and final jamo compose with the jamo before them into one syllable.
  if ((c >= 0x1160 && c <= 0x11ff) || (c >= 0xd7b0 && c <= 0xd7ff)) return true;
  return MARK.test(String.fromCodePoint(s.codePointAt(i)!));
}

/** CJK Unified Ideographs and Extension A: letters with no case, no decomposition and no marks. */
function isUnifiedHan(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf);
}
