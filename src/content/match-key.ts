/**
 * @module content/match-key
 * Folded text spelled in ASCII, for the automaton only. modern-ahocorasick walks text by grapheme
 * cluster and asks Intl.Segmenter for every cluster once it meets a non-ASCII character, which
 * costs about 1.5 µs a character: 2.5 ms for a 1,600-character Chinese message, on every accept.
 * On ASCII it has a fast path, twenty times quicker, even though each non-ASCII character becomes
 * three ASCII ones here.
 *
 * Folded text holds only a-z and 0-9 in ASCII. Every other code point becomes a marker and two
 * payload characters (three for code points past U+FFFF), drawn from the ASCII characters folded
 * text never holds, with markers and payload apart; the marker says how long the code is. So an encoded term can only match at the start of
 * an encoded character, and a match in the key is always a match in the folded text.
 */

// The ASCII characters folded text never holds, less CR (the automaton reads CR LF as one cluster).
const FREE = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).filter((ch) => !/[a-z0-9\r]/.test(ch));
const PAYLOAD = FREE.slice(0, 64);
const BMP_MARKERS = FREE.slice(64, 64 + 16); // cp >> 12 for cp <= 0xFFFF
const ASTRAL_MARKERS = FREE.slice(80, 80 + 5); // cp >> 18 for cp <= 0x10FFFF
const NON_ASCII = /[\u0080-\uffff]/;

export interface MatchKey {
  readonly key: string;
  /** For each UTF-16 unit of `key`, where the folded character it spells starts; null when the key is the folded text. */
  readonly folded: Int32Array | null;
}

export function toMatchKey(folded: string): MatchKey {
  if (!NON_ASCII.test(folded)) return { key: folded, folded: null };
  let key = '';
  const index = new Int32Array(folded.length * 3);
  let k = 0;
  for (let i = 0; i < folded.length;) {
    const cp = folded.codePointAt(i)!;
    if (cp < 0x80) {
      key += folded[i];
      index[k++] = i;
      i += 1;
      continue;
    }
    const low = PAYLOAD[(cp >> 6) & 63]! + PAYLOAD[cp & 63]!;
    if (cp <= 0xffff) {
      key += BMP_MARKERS[cp >> 12]! + low;
      index[k++] = i;
      index[k++] = i;
      index[k++] = i;
      i += 1;
    } else {
      key += ASTRAL_MARKERS[cp >> 18]! + PAYLOAD[(cp >> 12) & 63]! + low;
      index[k++] = i;
      index[k++] = i;
      index[k++] = i;
      index[k++] = i;
      i += 2;
    }
  }
  return { key, folded: index.subarray(0, k) };
}

/** The folded range [start, end) that the key range [start, end) spells. */
export function foldedRange(folded: string, key: MatchKey, start: number, end: number): [number, number] {
  if (key.folded === null) return [start, end];
  const last = key.folded[end - 1]!;
  return [key.folded[start]!, last + (folded.codePointAt(last)! > 0xffff ? 2 : 1)];
}
