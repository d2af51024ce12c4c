/**
 * @module content/banned-words-file
 * The banned-words file an operator keeps: one term per line, so it diffs and reviews well.
 *
 *     # applies to every purpose
 *     free money
 *     [marketing]
 *     limited offer          (marketing only)
 *     [marketing, transactional]
 *     ...
 *     [all]                  (back to every purpose)
 *
 * A line whose first visible character is '#' is a comment; blank lines are ignored; a term is the
 * whole line, trimmed, so it may contain '#' or spaces after its first character.
 */
import { PURPOSES, type Purpose } from '../core/message.js';
import type { BannedTerm, BannedTermScope } from './banned-words.js';

/** @throws Error naming the line of a section header that lists no purpose or an unknown one. */
export function parseBannedWordsFile(text: string): BannedTerm[] {
  const terms: BannedTerm[] = [];
  let purposes: BannedTermScope = 'all';
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('[') && line.endsWith(']')) purposes = parseSection(line.slice(1, -1), i + 1);
    else terms.push({ term: line, purposes });
  });
  return terms;
}

function parseSection(inner: string, lineNumber: number): BannedTermScope {
  const names = inner.split(',').map((name) => name.trim().toLowerCase());
  if (names.length === 1 && names[0] === 'all') return 'all';
  const unknown = names.find((name) => !(PURPOSES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    const what = unknown === '' ? 'an empty purpose' : `the unknown purpose "${unknown}"`;
    throw new Error(
      `Banned-words file, line ${lineNumber}: section [${inner}] names ${what}; ` +
        `use [all] or a list of ${PURPOSES.join(', ')}.`,
    );
  }
  return Object.freeze([...new Set(names as Purpose[])]);
}
