/**
 * @module bench/encoding-savings
 * What smart encoding (src/content/smart-encoding.ts) saves on the test corpus of realistic
 * messages (test/corpus/messages-LANG.json): per language and in total, how many messages it
 * changed and how many billed segments they take before and after. A figure for the README, not a
 * timing, so it runs in a blink and needs nothing started.
 *
 *   node dist/bench/encoding-savings.js [--json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toGsmLookalikes, ucs2Characters } from '../src/content/smart-encoding.js';
import { paths } from './lib/paths.js';

const LANGUAGES = ['en', 'zh'] as const;

interface CorpusMessage {
  text: string;
  kind: string;
}

interface Savings {
  language: string;
  messages: number;
  /** Messages that needed UCS-2 as written. */
  ucs2Before: number;
  /** Messages that smart encoding rewrote (each one into GSM-7). */
  changed: number;
  ucs2After: number;
  segmentsBefore: number;
  segmentsAfter: number;
  /** Share of the segments before that smart encoding saved, in per cent, one decimal. */
  savedPercent: number;
}

function corpusFile(language: string): string {
  return join(paths.root, 'test/corpus', `messages-${language}.json`);
}

function loadCorpus(language: string): CorpusMessage[] {
  return JSON.parse(readFileSync(corpusFile(language), 'utf8')) as CorpusMessage[];
}

/** Tallies one language; `replaced` counts, per character, the changed messages it had forced into UCS-2. */
function measureSavings(language: string, messages: CorpusMessage[], replaced: Map<string, number>): Savings {
  const tally = { ucs2Before: 0, changed: 0, ucs2After: 0, segmentsBefore: 0, segmentsAfter: 0 };
  for (const { text } of messages) {
    const result = toGsmLookalikes(text);
    if (result.encodingBefore === 'UCS-2') tally.ucs2Before++;
    if (result.encodingAfter === 'UCS-2') tally.ucs2After++;
    tally.segmentsBefore += result.segmentsBefore;
    tally.segmentsAfter += result.segmentsAfter;
    if (result.text === text) continue;
    tally.changed++;
    for (const ch of ucs2Characters(text)) replaced.set(ch, (replaced.get(ch) ?? 0) + 1);
  }
  return { language, messages: messages.length, ...tally, savedPercent: percentSaved(tally) };
}

function percentSaved(t: { segmentsBefore: number; segmentsAfter: number }): number {
  return t.segmentsBefore === 0 ? 0 : Math.round((1000 * (t.segmentsBefore - t.segmentsAfter)) / t.segmentsBefore) / 10;
}

function sum(rows: Savings[]): Savings {
  const t = { messages: 0, ucs2Before: 0, changed: 0, ucs2After: 0, segmentsBefore: 0, segmentsAfter: 0 };
  for (const row of rows) for (const key of Object.keys(t) as (keyof typeof t)[]) t[key] += row[key];
  return { language: 'total', ...t, savedPercent: percentSaved(t) };
}

const COLUMNS: [keyof Savings, string][] = [
  ['language', 'language'],
  ['messages', 'messages'],
  ['ucs2Before', 'UCS-2 before'],
  ['changed', 'changed'],
  ['ucs2After', 'UCS-2 after'],
  ['segmentsBefore', 'segments before'],
  ['segmentsAfter', 'segments after'],
  ['savedPercent', 'saved'],
];

function renderTable(rows: Savings[]): string {
  const cells = rows.map((r) =>
    COLUMNS.map(([key]) => (key === 'savedPercent' ? `${r.savedPercent.toFixed(1)} %` : String(r[key]))),
  );
  const widths = COLUMNS.map(([, title], i) => Math.max(title.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (values: string[]): string =>
    values.map((v, i) => (i === 0 ? v.padEnd(widths[i] as number) : v.padStart(widths[i] as number))).join('  ');
  return [line(COLUMNS.map(([, title]) => title)), ...cells.map(line)].join('\n');
}

/** `’ ×120` with invisible characters spelled as code points, so the line can be read. */
function describeCharacter([ch, count]: [string, number]): string {
  const visible = /^[\p{L}\p{N}\p{P}\p{S}]+$/u.test(ch);
  const name = visible
    ? ch
    : [...ch].map((c) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase()}`).join('+');
  return `${name} ×${count}`;
}

function main(): void {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } }, strict: true });
  const replaced = new Map<string, number>();
  const languages = LANGUAGES.map((language) => measureSavings(language, loadCorpus(language), replaced));
  const total = sum(languages);
  const byMessages = [...replaced].sort((a, b) => b[1] - a[1]);

  if (values.json) {
    const report = { languages, total, replacedCharacters: Object.fromEntries(byMessages) };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  process.stdout.write(`Smart encoding on the test corpus (test/corpus/messages-{${LANGUAGES.join(',')}}.json)\n\n`);
  process.stdout.write(`${renderTable([...languages, total])}\n\n`);
  process.stdout.write(
    `Characters behind the changes (messages each): ${byMessages.map(describeCharacter).join(', ') || 'none'}\n`,
  );
}

main();
