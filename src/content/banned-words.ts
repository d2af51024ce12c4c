/**
 * @module content/banned-words
 * Whether a message says something the operator has banned, and which term it said. All terms are
 * compiled into one Aho-Corasick automaton (modern-ahocorasick) over folded text (fold-text.ts),
 * spelled in ASCII (match-key.ts), so a check is one quick pass over the message whatever the size
 * of the list: it runs on every accept.
 *
 * Folding removes spaces and punctuation, which defeats "f.r.e.e  m-o-n-e-y" but would also let a
 * short term hit inside an innocent word ("class" holds "ass") or across two words ("an al" holds
 * "anal"). So a Latin-like edge of a term (letter or digit of a script written with spaces) must sit
 * at a word edge in the caller's text, and a term word may be split by whitespace only when it is
 * spelled out letter by letter. Chinese, Japanese, Thai… are written without spaces: there a term
 * matches anywhere.
 */
import AhoCorasick from 'modern-ahocorasick';
import { PURPOSES, type Purpose } from '../core/message.js';
import { foldText, type FoldedText } from './fold-text.js';
import { foldedRange, toMatchKey } from './match-key.js';

/** The purposes a term applies to: every purpose, or only those listed (marketing may be stricter). */
export type BannedTermScope = readonly Purpose[] | 'all';

export interface BannedTerm {
  /** As the operator wrote it; matching uses its folded form. */
  term: string;
  purposes: BannedTermScope;
}

export interface BannedWordHit {
  /** The term as the operator wrote it (not folded), to name to the caller, never to the recipient. */
  term: string;
  purposes: BannedTermScope;
  /** Where the hit starts in the checked text, in UTF-16 units. */
  index: number;
  /** Where it ends, exclusive. */
  end: number;
}

export interface BannedWordFilter {
  /** The first hit (the one that ends first) of a term that applies to this purpose, or null. */
  find(text: string, purpose: Purpose): BannedWordHit | null;
  /** How many terms were compiled. */
  readonly size: number;
}

interface CompiledTerm {
  readonly term: string;
  readonly purposes: BannedTermScope;
  /** Whether the term's first (last) character must sit at the start (end) of a word. */
  readonly boundedStart: boolean;
  readonly boundedEnd: boolean;
  /** [start, end) in the folded term of each word that may not be split by whitespace at will. */
  readonly spacedWords: ReadonlyArray<readonly [number, number]>;
}

// Scripts written without spaces between words: a term in them cannot be held to word edges.
const UNSPACED =
  /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Bopomofo}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Yi}]/u;
const WORD_CHARACTER = /[\p{L}\p{N}\p{M}]/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const WHITESPACE = /\s/u;

/** A letter, digit or mark of a script that puts spaces between words. */
function isSpacedWordCharacter(ch: string): boolean {
  return WORD_CHARACTER.test(ch) && !UNSPACED.test(ch);
}

/**
 * @throws Error when a term folds to nothing (it has no letters or digits) or its purposes are not
 * a non-empty list of known purposes.
 */
export function compileBannedWords(terms: readonly BannedTerm[]): BannedWordFilter {
  const compiled = terms.map((entry, i) => compileTerm(entry, i));
  const matcher = new AhoCorasick<number>(
    compiled.map(({ folded }, i) => ({ pattern: toMatchKey(folded).key, data: i })),
  );
  return {
    size: compiled.length,
    find(text, purpose) {
      if (compiled.length === 0) return null;
      const folded = foldText(text);
      const key = toMatchKey(folded.text);
      for (const hit of matcher.iterate(key.key)) {
        const term = compiled[hit.data!]!.term;
        const [from, to] = foldedRange(folded.text, key, hit.start, hit.end);
        if (!appliesTo(term, purpose) || !standsAlone(term, folded, text, from, to)) continue;
        return { term: term.term, purposes: term.purposes, index: folded.start[from]!, end: folded.end[to - 1]! };
      }
      return null;
    },
  };
}

function compileTerm(entry: BannedTerm, i: number): { term: CompiledTerm; folded: string } {
  const where = `Banned term ${i + 1} (${JSON.stringify(entry.term)})`;
  const { purposes } = entry;
  if (purposes !== 'all') {
    if (!Array.isArray(purposes)) throw new Error(`${where} has purposes that are neither 'all' nor a list.`);
    const unknown = purposes.find((p) => !PURPOSES.includes(p));
    if (unknown !== undefined) throw new Error(`${where} names an unknown purpose ${JSON.stringify(unknown)}.`);
    if (purposes.length === 0) throw new Error(`${where} applies to no purpose; use 'all' or name some.`);
  }
  const folded = foldText(entry.term);
  if (folded.text === '') throw new Error(`${where} has no letters or digits, so it can never be matched.`);
  const chars = folded.text;
  const breaks = [0];
  for (let p = 1; p < chars.length; p++) if (hasGap(folded, p)) breaks.push(p);
  breaks.push(chars.length);
  const spacedWords: Array<readonly [number, number]> = [];
  for (let w = 0; w + 1 < breaks.length; w++) {
    const [a, b] = [breaks[w]!, breaks[w + 1]!];
    if (b - a >= 2 && [...chars.slice(a, b)].every(isSpacedWordCharacter)) spacedWords.push([a, b]);
  }
  const purposesCopy: BannedTermScope = purposes === 'all' ? 'all' : Object.freeze([...new Set(purposes)]);
  return {
    folded: chars,
    term: {
      term: entry.term,
      purposes: purposesCopy,
      boundedStart: isSpacedWordCharacter(String.fromCodePoint(chars.codePointAt(0)!)),
      boundedEnd: isSpacedWordCharacter(lastCodePoint(chars)),
      spacedWords,
    },
  };
}

function appliesTo(term: CompiledTerm, purpose: Purpose): boolean {
  return term.purposes === 'all' || term.purposes.includes(purpose);
}

/** Whether a match of the folded term at [from, to) of the folded text is a word, not part of one. */
function standsAlone(term: CompiledTerm, folded: FoldedText, text: string, from: number, to: number): boolean {
  if (term.boundedStart) {
    // A ligature such as "ﬁ" folds to two letters: the one before the match is then in the same word.
    if (from > 0 && folded.start[from - 1] === folded.start[from]) return false;
    if (isSpacedWordCharacter(neighbour(text, folded.start[from]!, -1))) return false;
  }
  if (term.boundedEnd) {
    if (to < folded.text.length && folded.end[to] === folded.end[to - 1]) return false;
    if (isSpacedWordCharacter(neighbour(text, folded.end[to - 1]!, +1))) return false;
  }
  for (const [a, b] of term.spacedWords) {
    let places = 0;
    let gaps = 0;
    let spaced = false;
    for (let p = from + a + 1; p < from + b; p++) {
      if (folded.start[p] === folded.start[p - 1]) continue; // a letter and its own marks
      places++;
      if (!hasGap(folded, p)) continue;
      gaps++;
      if (WHITESPACE.test(text.slice(folded.end[p - 1], folded.start[p]))) spaced = true;
    }
    // "f r e e" is an evasion; "an al" for the term "anal" is two innocent words.
    if (spaced && gaps < places) return false;
  }
  return true;
}

/** Whether something (space, punctuation…) stood between folded units p - 1 and p in the original. */
function hasGap(folded: FoldedText, p: number): boolean {
  return folded.start[p]! > folded.end[p - 1]!;
}

/** The visible character before (direction -1) or at (+1) an index, or '' at the edge of the text. */
function neighbour(text: string, index: number, direction: -1 | 1): string {
  let i = index;
  while (direction < 0 ? i > 0 : i < text.length) {
    let ch: string;
    if (direction < 0) {
      const low = text.charCodeAt(i - 1);
      const high = i >= 2 ? text.charCodeAt(i - 2) : 0;
      const pair = low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
      ch = pair ? text.slice(i - 2, i) : text[i - 1]!;
      i -= ch.length;
    } else {
      ch = String.fromCodePoint(text.codePointAt(i)!);
      i += ch.length;
    }
    if (!IGNORABLE.test(ch)) return ch;
  }
  return '';
}

function lastCodePoint(s: string): string {
  const cps = [...s];
  return cps[cps.length - 1]!;
}
