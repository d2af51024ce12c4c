/**
 * @module test/chaos/crash
 * `npm run chaos [-- --scaled] [--messages N] [--kills N] [--out FILE]`: the crash-consistency run
 * (crash-run.ts) as one command. Prints a summary table, writes the whole result as JSON
 * (default bench/results/chaos-<mode>.json) and exits 1 when a message was lost, sent more than
 * twice, or more were sent twice than the kills can explain.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { installCleanup, stopAll } from '../../bench/lib/children.js';
import { paths } from '../../bench/lib/paths.js';
import { scaledUnreachable } from '../../bench/lib/scaled-store.js';
import { runCrashChaos, type CrashRunResult } from './crash-run.js';

const { values } = parseArgs({
  options: {
    scaled: { type: 'boolean', default: false },
    messages: { type: 'string', default: '50000' },
    kills: { type: 'string', default: '10' },
    out: { type: 'string' },
  },
});
const postgresUrl = process.env['TIDINGS_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env['TIDINGS_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const scaled = values.scaled ?? false;

installCleanup();
if (scaled) {
  const why = await scaledUnreachable(postgresUrl, redisUrl);
  if (why) {
    process.stderr.write(`chaos --scaled cannot run: ${why}\n`);
    process.exit(2);
  }
}
const result = await runCrashChaos({
  total: Number(values.messages),
  kills: Number(values.kills),
  scaled,
  postgresUrl,
  redisUrl,
  log: (line) => process.stdout.write(`  ${line}\n`),
}).finally(() => stopAll());

const out = values.out ?? join(paths.results, `chaos-${result.mode}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${summary(result)}\nresult written to ${out}\n`);
process.exit(result.verdict.ok ? 0 : 1);

function summary(r: CrashRunResult): string {
  const v = r.verdict;
  const rows: Array<[string, string]> = [
    ['mode', r.mode],
    ['messages accepted (202 seen)', `${v.accepted} of ${r.total}`],
    ['kills survived (SIGKILL + restart)', `${r.kills.length} (${victims(r)})`],
    ['POSTs cut by a kill, retried', String(r.client.unanswered)],
    ['  batches stored before the kill (replayed)', String(r.client.storedBeforeKill)],
    ['  batches created by the retry', String(r.client.createdOnRetry)],
    ['5xx answers, retried', String(r.client.serverErrors)],
    [
      'refused (not 202, or an item without id)',
      `${r.client.refused.count}${r.client.refused.first ? `: ${r.client.refused.first}` : ''}`,
    ],
    ['creates at the fake', String(v.received)],
    ['lost (accepted, never sent)', String(v.lost)],
    ['sent twice', String(v.duplicates)],
    ['  after a send timeout (fake took it, answer late)', String(v.afterTimeout)],
    ['  in flight at a kill', `${v.duplicates - v.afterTimeout} (bound ${v.duplicateBound})`],
    ['sent 3+ times', String(v.beyondTwice)],
    ['sent but never accepted', String(v.unexpected)],
    ['statuses in Tidings', JSON.stringify(r.statuses)],
    ['wall time', `${r.seconds.toFixed(0)} s`],
    ['verdict', v.ok ? 'PASS' : 'FAIL'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, val]) => `${k.padEnd(width)}  ${val}`).join('\n');
}

function victims(r: CrashRunResult): string {
  const counts = new Map<string, number>();
  for (const k of r.kills) counts.set(k.victim, (counts.get(k.victim) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name} ×${n}`).join(', ') || 'none';
}
