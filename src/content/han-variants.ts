/**
 * @module content/han-variants
 * One representative for each Chinese character that is written differently in simplified,
 * traditional, Hong Kong or Taiwan text, so 發票, 发票 and their regional variants compare equal.
 *
 * The data is OpenCC's (opencc-js), but only its one-character entries, joined into equivalence
 * classes. OpenCC's own converters also rewrite whole phrases depending on the characters around
 * them, which is right for reading but wrong for matching: a term converted alone could then differ
 * from the same characters converted inside a message, and a phrase may change the number of
 * UTF-16 units, which would break the map back to the caller's text. Classes also make the folding
 * order-free: a variant table that maps a simplified character (么) to a traditional one (幺) cannot
 * send the same character two ways.
 */
import type { DictGroup } from 'opencc-js';
import { from, to } from 'opencc-js/preset/t2cn';

/** Regional forms to OpenCC's traditional forms; traditional to simplified. */
const REGIONAL_GROUPS: readonly DictGroup[] = [...(from['hk'] ?? []), ...(from['tw'] ?? [])];
const SIMPLIFYING_GROUPS: readonly DictGroup[] = to['cn'] ?? [];

type Pair = readonly [number, number];

/** The one-code-point → one-code-point entries of some OpenCC dictionaries. */
function singleCharacterPairs(groups: readonly DictGroup[]): Pair[] {
  const pairs: Pair[] = [];
  for (const group of groups) {
    for (const dict of group) {
      // OpenCC ships dictionaries as "source target|source target…" or as [source, target] pairs.
      const entries = typeof dict === 'string' ? dict.split('|').map((entry) => entry.split(' ')) : dict;
      for (const [source, target] of entries) {
        const a = singleCodePoint(source);
        const b = singleCodePoint(target);
        if (a !== undefined && b !== undefined && a !== b) pairs.push([a, b]);
      }
    }
  }
  return pairs;
}

function singleCodePoint(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const cp = s.codePointAt(0)!;
  return s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
}

function buildRepresentatives(): Map<number, number> {
  const simplifying = singleCharacterPairs(SIMPLIFYING_GROUPS);
  const regional = singleCharacterPairs(REGIONAL_GROUPS);
  const parent = new Map<number, number>();
  const root = (x: number): number => {
    let r = x;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  for (const [a, b] of [...simplifying, ...regional]) {
    const ra = root(a);
    const rb = root(b);
    if (ra !== rb) parent.set(ra, rb);
  }
  const classes = new Map<number, number[]>();
  for (const [a, b] of [...simplifying, ...regional]) {
    for (const x of [a, b]) {
      const r = root(x);
      const members = classes.get(r) ?? [];
      if (!members.includes(x)) members.push(x);
      classes.set(r, members);
    }
  }
  // Prefer the simplified form, so a folded text still reads as Chinese when it is printed in a test.
  const traditional = new Set(simplifying.map(([a]) => a));
  const simplified = new Set(simplifying.map(([, b]) => b));
  const rank = (x: number): number => (simplified.has(x) ? 0 : 2) + (traditional.has(x) ? 1 : 0);
  const representatives = new Map<number, number>();
  for (const members of classes.values()) {
    const best = members.reduce((m, x) => (rank(x) < rank(m) || (rank(x) === rank(m) && x < m) ? x : m));
    for (const x of members) if (x !== best) representatives.set(x, best);
  }
  return representatives;
}

const REPRESENTATIVES = buildRepresentatives();

/** The code point that stands for `cp` and all its simplified, traditional and regional forms. */
export function hanRepresentative(cp: number): number {
  return REPRESENTATIVES.get(cp) ?? cp;
}
