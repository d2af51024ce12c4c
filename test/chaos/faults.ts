/**
 * @module test/chaos/faults
 * `npm run chaos:faults [-- --messages N] [--out FILE]`: the provider-fault runs (faults-run.ts),
 * one provider (retries) then two (failover), as one command. Prints the figures, writes them as
 * JSON (default bench/results/chaos-faults.json), exits 1 when a message ended in a wrong state.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { paths } from '../../bench/lib/paths.js';
import { runProviderFaults, type FaultRunResult } from './faults-run.js';

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '5000' }, out: { type: 'string' } },
});
const results: FaultRunResult[] = [];
for (const providers of [1, 2] as const) {
  process.stdout.write(`${providers} provider(s):\n`);
  results.push(
    await runProviderFaults({
      messages: Number(values.messages),
      providers,
      log: (line) => process.stdout.write(`  ${line}\n`),
    }),
  );
}
const out = values.out ?? join(paths.results, 'chaos-faults.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

const rows: Array<[string, (r: FaultRunResult) => string]> = [
  ['messages', (r) => String(r.messages)],
  ['fault bursts queued', (r) => String(r.bursts)],
  [
    'faults served',
    (r) =>
      Object.entries(r.faults)
        .map(([k, n]) => `${k} ${n}`)
        .join(', '),
  ],
  ['create requests at the fakes', (r) => String(r.requests)],
  ['sent by the second provider', (r) => String(r.viaSecond)],
  ['429s whose Retry-After was checked', (r) => String(r.retryAfterChecked)],
  ['final statuses', (r) => JSON.stringify(r.statuses)],
  ['possible duplicates (taken during a slow answer)', (r) => String(r.possibleDuplicates)],
  ['failed although taken during a slow answer', (r) => String(r.takenButFailed)],
  ['wrong final states', (r) => String(r.problems.length)],
  ['wall time', (r) => `${r.seconds.toFixed(0)} s`],
];
const width = Math.max(...rows.map(([k]) => k.length));
process.stdout.write(`${''.padEnd(width)}  ${results.map((r) => `${r.providers} provider(s)`).join(' | ')}\n`);
for (const [name, cell] of rows) process.stdout.write(`${name.padEnd(width)}  ${results.map(cell).join(' | ')}\n`);
for (const r of results) for (const p of r.problems) process.stdout.write(`problem (${r.providers}): ${p}\n`);
process.stdout.write(`result written to ${out}\n`);
process.exit(results.every((r) => r.problems.length === 0) ? 0 : 1);
